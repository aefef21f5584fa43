package condition

import (
	"strings"
	"testing"
	"time"
)

// The frappe.utils functions of periods, weekdays, numbers, lists and HTML, on 2024-03-15
// 10:30, a Friday (now): each expression is true in the ERP's Python, a date read as its text.
func TestFrappeUtilsOfPeriodsNumbersListsAndHTML(t *testing.T) {
	allTrue(t, []string{
		// now: the site's time with microseconds
		`frappe.utils.now() == "2024-03-15 10:30:00.000000"`,
		// add_years: February 29 a year on is February 28; a text keeps its form; None is now
		`frappe.utils.add_years("2024-02-29", 1) == "2025-02-28" and frappe.utils.add_years("2024-02-29 08:00:00", -4) == "2020-02-29 08:00:00.000000"`,
		`frappe.utils.add_years(None, 1) == "2025-03-15 10:30:00.000000" and frappe.utils.add_years(date="2024-01-01", years=2.0) == "2026-01-01"`,
		// month_diff counts both months, whatever the days
		`frappe.utils.month_diff("2024-03-01", "2024-01-31") == 3 and frappe.utils.month_diff("2024-01-31", "2024-03-01") == -1 and frappe.utils.month_diff("2024-03-15", "2024-03-15") == 1`,
		`frappe.utils.month_diff(None, "2023-12-31 23:00:00") == 4 and frappe.utils.month_diff(string_ed_date="2025-01-01", string_st_date="") == 11`,
		// time_diff_in_seconds: a float, a date at midnight, None now
		`frappe.utils.time_diff_in_seconds("2024-03-16", "2024-03-15 12:00:00") == 43200 and frappe.utils.cstr(frappe.utils.time_diff_in_seconds("2024-03-15", "2024-03-15")) == "0.0"`,
		`frappe.utils.time_diff_in_seconds(None, "2024-03-15") == 37800 and frappe.utils.time_diff_in_seconds("2024-03-15 00:00:00.5", "2024-03-15 00:00:01") == -0.5`,
		// get_weekday: English names, now for nothing
		`frappe.utils.get_weekday() == "Friday" and frappe.utils.get_weekday("") == "Friday" and frappe.utils.get_weekday("2024-03-17") == "Sunday" and frappe.utils.get_weekday(datetime="2024-03-18 23:59:59") == "Monday"`,
		// years and quarters
		`frappe.utils.get_year_start("2024-07-04") == "2024-01-01" and frappe.utils.get_year_start(None) == "2024-01-01" and frappe.utils.get_year_start("2024-07-04", as_str=True) == "2024-01-01"`,
		`frappe.utils.get_year_ending("2024-07-04 10:00:00") == "2024-12-31" and frappe.utils.get_year_ending("") == "2024-12-31"`,
		`frappe.utils.get_quarter_start("2024-03-31") == "2024-01-01" and frappe.utils.get_quarter_start("2024-04-01") == "2024-04-01" and frappe.utils.get_quarter_start("2024-12-31", True) == "2024-10-01"`,
		`frappe.utils.get_quarter_ending("2024-01-01") == "2024-03-31" and frappe.utils.get_quarter_ending("2024-05-20") == "2024-06-30" and frappe.utils.get_quarter_ending("2024-09-30") == "2024-09-30" and frappe.utils.get_quarter_ending(None) == "2024-03-31"`,
		// weeks start on Sunday, the ERP's default
		`frappe.utils.get_first_day_of_week("2024-03-15") == "2024-03-10" and frappe.utils.get_first_day_of_week("2024-03-10") == "2024-03-10" and frappe.utils.get_first_day_of_week("2024-03-09") == "2024-03-03"`,
		`frappe.utils.get_last_day_of_week("2024-03-15") == "2024-03-16" and frappe.utils.get_last_day_of_week("2024-12-29") == "2025-01-04" and frappe.utils.get_last_day_of_week(None) == "2024-03-16"`,
		// get_first_day takes as_str, which changes nothing
		`frappe.utils.get_first_day("2024-03-15", 0, 1, True) == "2024-04-01" and frappe.utils.get_first_day("2024-03-15", as_str=True) == "2024-03-01"`,
		// floor and ceil: flt first, an int, 0 for what is no number
		`frappe.utils.floor(2.7) == 2 and frappe.utils.floor(-2.1) == -3 and frappe.utils.floor("1,234.9") == 1234 and frappe.utils.cstr(frappe.utils.floor(3.0)) == "3"`,
		`frappe.utils.floor(None) == 0 and frappe.utils.floor("x") == 0 and frappe.utils.floor(float("inf")) == 0 and frappe.utils.floor(float("nan")) == 0 and frappe.utils.floor(True) == 1`,
		`frappe.utils.ceil(2.1) == 3 and frappe.utils.ceil(-2.7) == -2 and frappe.utils.ceil("0.001") == 1 and frappe.utils.cstr(frappe.utils.ceil(-0.5)) == "0" and frappe.utils.ceil(s=None) == 0`,
		// has_common: the common items of l1, once each, by ==
		`frappe.utils.has_common(["a", "b", "a"], ("b", "a")) == ["a", "b"] and not frappe.utils.has_common(["a"], []) and frappe.utils.has_common([1, 2], [2.0, True]) == [1, 2]`,
		`frappe.utils.has_common("abc", ["c"]) == ["c"] and frappe.utils.has_common({"k": 1}, ["k"]) == ["k"] and len(frappe.utils.has_common(l1=[None], l2=[None, 0])) == 1`,
		// strip_html and is_html
		`frappe.utils.strip_html("<p>a <b>b</b></p><!-- c -->&amp;") == "a b&amp;" and frappe.utils.strip_html("a < b") == "a < b"`,
		`frappe.utils.is_html("a <br/> b") and frappe.utils.is_html("a < b") is None and frappe.utils.is_html("<>") is None and frappe.utils.is_html(None) == False and frappe.utils.is_html(3) == False`,
	})
}

// The ERP's errors of those functions.
func TestFrappeUtilsOfPeriodsNumbersListsAndHTMLFail(t *testing.T) {
	for _, c := range []struct{ src, err string }{
		{`frappe.utils.add_years("2024-01-01", 0.5) > ""`, "ValueError: Non-integer years and months"},
		{`frappe.utils.add_years("2024-01-01", None) > ""`, "TypeError"},
		{`frappe.utils.add_years("9999-06-01", 1) > ""`, "date value out of range"},
		{`frappe.utils.month_diff(3, "2024-01-01") > 0`, "AttributeError: 'NoneType' object has no attribute 'year'"},
		{`frappe.utils.month_diff("2024-13-01", "2024-01-01") > 0`, "ValueError"},
		{`frappe.utils.time_diff_in_seconds("", "2024-01-01") > 0`, "Error"},
		{`frappe.utils.time_diff_in_seconds(3, "2024-01-01") > 0`, "TypeError"},
		{`frappe.utils.get_weekday("Friday") > ""`, "AttributeError: 'str' object has no attribute 'weekday'"},
		{`frappe.utils.get_weekday(3) > ""`, "AttributeError: 'int' object has no attribute 'weekday'"},
		{`frappe.utils.get_year_start(3) > ""`, "AttributeError: 'NoneType' object has no attribute 'year'"},
		{`frappe.utils.get_year_ending("9999-03-01") > ""`, "out of range"},
		{`frappe.utils.get_quarter_start("0000-00-00") > ""`, "attribute 'month'"},
		{`frappe.utils.get_first_day_of_week("0001-01-02") > ""`, "out of range"},
		{`frappe.utils.get_last_day_of_week(1.5) > ""`, "attribute 'weekday'"},
		{`frappe.utils.get_last_day_of_week("2024-03-15", True) > ""`, "takes"},
		{`frappe.utils.has_common(None, []) > []`, "TypeError: 'NoneType' object is not iterable"},
		{`frappe.utils.has_common([[1]], [1]) > []`, "TypeError: unhashable type: 'list'"},
		{`frappe.utils.has_common(3, [1]) > []`, "TypeError: 'int' object is not iterable"},
		{`frappe.utils.strip_html(None) > ""`, "TypeError: expected string or bytes-like object, got 'NoneType'"},
		{`frappe.utils.now(1) > ""`, "takes"},
	} {
		t.Run(c.src, func(t *testing.T) {
			cond, err := Compile(c.src)
			if err == nil {
				_, err = cond.Eval(blank, now)
			}
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("got %v; want an error with %q", err, c.err)
			}
		})
	}
}

// Weeks start on the site's first day of the week (System Settings first_day_of_the_week),
// Sunday when it sets none. On 2024-03-15, a Friday.
func TestWeeksStartOnTheSitesFirstDay(t *testing.T) {
	now := time.Date(2024, 3, 15, 10, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		start time.Weekday
		src   string
	}{
		{time.Sunday, `frappe.utils.get_first_day_of_week("2024-03-15") == "2024-03-10" and frappe.utils.get_last_day_of_week(None) == "2024-03-16"`},
		{time.Monday, `frappe.utils.get_first_day_of_week("2024-03-15") == "2024-03-11" and frappe.utils.get_first_day_of_week("2024-03-11") == "2024-03-11" and frappe.utils.get_first_day_of_week("2024-03-10") == "2024-03-04" and frappe.utils.get_last_day_of_week(None) == "2024-03-17" and frappe.utils.get_first_day_of_week(nowdate()) == "2024-03-11"`},
		{time.Saturday, `frappe.utils.get_first_day_of_week("2024-03-15") == "2024-03-09" and frappe.utils.get_first_day_of_week("2024-03-16") == "2024-03-16" and frappe.utils.get_last_day_of_week("2024-03-15") == "2024-03-15"`},
	} {
		cond, err := Compile(c.src)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := cond.Evaluate(Input{Doc: map[string]any{}, Now: now, WeekStart: c.start}); !ok || err != nil {
			t.Errorf("weeks from %s: %s is %v, %v", c.start, c.src, ok, err)
		}
	}
}
