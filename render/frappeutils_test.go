package render

import (
	"strings"
	"testing"
	"time"
)

// The ERP's helpers of periods, weekdays, numbers, lists and HTML, on Friday 2024-03-15 10:30
// in the site's time zone, against what the ERP prints.
func TestPeriodNumberListAndHTMLHelpers(t *testing.T) {
	doc := map[string]any{
		"date":     "2024-02-29",
		"modified": "2024-02-29 08:00:00.250000",
		"qty":      2.5,
		"tags":     []any{"urgent", "vip"},
		"nothing":  nil,
		"html":     "<p>Fish &amp; <b>chips</b></p>",
	}
	now := time.Date(2024, 3, 15, 10, 30, 0, 0, time.UTC)
	for _, tt := range []struct{ name, src, want string }{
		{"add_years keeps a text's form", `{{ frappe.utils.add_years(doc.date, 1) }} {{ frappe.utils.add_years(doc.modified, -4) }} {{ frappe.utils.add_years(date=doc.date, years=2.0) }}`, "2025-02-28 2020-02-29 08:00:00.250000 2026-02-28"},
		{"add_years of NULL is now, a datetime", `{{ frappe.utils.add_years(doc.nothing, 1) }}`, "2025-03-15 10:30:00"},
		{"month_diff counts both months", `{{ frappe.utils.month_diff("2024-03-01", "2024-01-31") }} {{ frappe.utils.month_diff(doc.date, "2024-03-01") }} {{ frappe.utils.month_diff(None, doc.modified) }}`, "3 0 2"},
		{"time_diff_in_seconds is a float", `{{ frappe.utils.time_diff_in_seconds("2024-03-16", doc.modified) }} {{ frappe.utils.time_diff_in_seconds(doc.date, doc.date) }} {{ frappe.utils.time_diff_in_seconds(None, "2024-03-15") }}`, "1353599.75 0.0 37800.0"},
		{"get_weekday", `{{ frappe.utils.get_weekday() }} {{ frappe.utils.get_weekday(doc.date) }} {{ frappe.utils.get_weekday(datetime=doc.modified) }} {{ frappe.utils.get_weekday("") }}`, "Friday Thursday Thursday Friday"},
		{"years", `{{ frappe.utils.get_year_start(doc.date) }} {{ frappe.utils.get_year_start(doc.nothing, as_str=True) }} {{ frappe.utils.get_year_ending(doc.modified) }}`, "2024-01-01 2024-01-01 2024-12-31"},
		{"quarters", `{{ frappe.utils.get_quarter_start(doc.date) }} {{ frappe.utils.get_quarter_start("2024-12-31", True) }} {{ frappe.utils.get_quarter_ending(doc.date) }} {{ frappe.utils.get_quarter_ending("2024-09-30") }} {{ frappe.utils.get_quarter_ending(None) }}`, "2024-01-01 2024-10-01 2024-03-31 2024-09-30 2024-03-31"},
		{"weeks start on Sunday", `{{ frappe.utils.get_first_day_of_week(doc.date) }} {{ frappe.utils.get_last_day_of_week(doc.modified) }} {{ frappe.utils.get_first_day_of_week("2024-03-10") }} {{ frappe.utils.get_last_day_of_week("2024-12-29") }}`, "2024-02-25 2024-03-02 2024-03-10 2025-01-04"},
		{"get_first_day takes as_str", `{{ frappe.utils.get_first_day(doc.date, 0, 1, True) }} {{ frappe.utils.get_first_day(doc.date, as_str=True) }}`, "2024-03-01 2024-02-01"},
		{"floor and ceil are ints", `{{ frappe.utils.floor(doc.qty) }} {{ frappe.utils.ceil(doc.qty) }} {{ frappe.utils.floor(-2.1) }} {{ frappe.utils.ceil("-0.5") }} {{ frappe.utils.floor("1,234.9") }} {{ frappe.utils.ceil(doc.nothing) }} {{ frappe.utils.floor("x") }} {{ frappe.utils.floor(s=3.0) }}`, "2 3 -3 0 1234 0 0 3"},
		{"has_common gives the common items", `{{ frappe.utils.has_common(doc.tags, ["vip", "x", "vip"]) }} {{ frappe.utils.has_common(["a"], []) }} {{ frappe.utils.has_common([1, 2, 1.0], (2.0, True)) }} {{ frappe.utils.has_common("a&b", "&") }} {{ frappe.utils.has_common({"k": 1}, ["k"])|length }}`, "['vip'] [] [1, 2] ['&'] 1"},
		{"has_common is true when there is one", `{% if frappe.utils.has_common(doc.tags, ["vip"]) %}y{% endif %}{% if not frappe.utils.has_common(doc.tags, ["x"]) %}n{% endif %}`, "yn"},
		{"is_html", `{{ frappe.utils.is_html(doc.html) }} {{ frappe.utils.is_html("a < b") is none }} {{ frappe.utils.is_html(doc.nothing) }} {{ frappe.utils.is_html(3) }}`, "True True False False"},
		{"strip_html", `{{ frappe.utils.strip_html(doc.html) }}`, "Fish &amp; chips"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := mustRender(t, tt.src, Data{Doc: doc, Now: now})
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// Weeks start on the site's first day of the week (System Settings first_day_of_the_week),
// Sunday when it sets none. On 2024-03-15, a Friday.
func TestWeeksStartOnTheSitesFirstDay(t *testing.T) {
	now := time.Date(2024, 3, 15, 10, 30, 0, 0, time.UTC)
	src := `{{ frappe.utils.get_first_day_of_week("2024-03-15") }} {{ frappe.utils.get_first_day_of_week("2024-03-11", as_str=True) }} {{ frappe.utils.get_last_day_of_week(None) }} {{ frappe.utils.get_year_start("2024-03-15") }}`
	for start, want := range map[time.Weekday]string{
		time.Sunday:   "2024-03-10 2024-03-10 2024-03-16 2024-01-01",
		time.Monday:   "2024-03-11 2024-03-11 2024-03-17 2024-01-01",
		time.Saturday: "2024-03-09 2024-03-09 2024-03-15 2024-01-01",
	} {
		if got := mustRender(t, src, Data{Now: now, Site: Site{WeekStart: start}}); got != want {
			t.Errorf("weeks from %s: got %q, want %q", start, got, want)
		}
	}
}

// The ERP's errors of those helpers fail the rendering.
func TestPeriodNumberListAndHTMLHelpersFail(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"add_years by a fraction", `{{ frappe.utils.add_years("2024-01-01", 0.5) }}`, "add_years(): ValueError: Non-integer years"},
		{"add_years by NULL", `{{ frappe.utils.add_years("2024-01-01", None) }}`, "add_years(): TypeError"},
		{"add_years past 9999", `{{ frappe.utils.add_years("9999-06-01", 1) }}`, "add_years(): OverflowError"},
		{"month_diff of no date", `{{ frappe.utils.month_diff("soon", "2024-01-01") }}`, "month_diff(): "},
		{"time_diff_in_seconds of no date", `{{ frappe.utils.time_diff_in_seconds("2024-01-01", "soon") }}`, "time_diff_in_seconds(): "},
		{"get_weekday of a text", `{{ frappe.utils.get_weekday("Friday") }}`, "get_weekday(): AttributeError: 'str' object has no attribute 'weekday'"},
		{"get_weekday of a number", `{{ frappe.utils.get_weekday(3) }}`, "AttributeError: 'int' object"},
		{"get_year_ending of 9999", `{{ frappe.utils.get_year_ending("9999-01-01") }}`, "get_year_ending(): OverflowError"},
		{"get_first_day_of_week before year 1", `{{ frappe.utils.get_first_day_of_week("0001-01-02") }}`, "get_first_day_of_week(): OverflowError"},
		{"get_last_day_of_week takes no as_str", `{{ frappe.utils.get_last_day_of_week("2024-01-01", True) }}`, "takes at most 1 arguments"},
		{"get_year_start without a date", `{{ frappe.utils.get_year_start() }}`, `missing argument "dt"`},
		{"has_common of NULL", `{{ frappe.utils.has_common(None, []) }}`, "has_common(): TypeError: 'NoneType' object is not iterable"},
		{"has_common of a number", `{{ frappe.utils.has_common([1], 2) }}`, "TypeError: 'int' object is not iterable"},
		{"has_common of lists", `{{ frappe.utils.has_common([[1]], [1]) }}`, "TypeError: unhashable type: 'list'"},
		{"floor without an argument", `{{ frappe.utils.floor() }}`, `floor(): missing argument "s"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Compile(tt.src)
			if err == nil {
				_, err = tpl.Render(Data{})
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want %q", err, tt.want)
			}
		})
	}
}
