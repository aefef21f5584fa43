package condition

import (
	"testing"
)

// dates is a row whose dates and timestamps are text, as the stream decodes them.
var dates = map[string]any{
	"due_date": "2024-03-29", "posting_date": "2024-02-28", "creation": "2024-02-28 09:15:02.123456",
	"modified": "2024-03-29 17:45", "late": "2024-02-28 09:15:02.123457", "status": "Open",
	"valid_till": "9999-12-31", "not_a_date": "2024-02-30",
}

// TestDateTextsDoWhatPythonsDatesDo: Python 3 gives True for each, with datetime.date and
// datetime.datetime values for the texts (as the ERP's documents hold them, read from the
// database).
func TestDateTextsDoWhatPythonsDatesDo(t *testing.T) {
	for _, src := range []string{
		// attributes of a date and of a timestamp, a field read as it is
		`doc.due_date.year == 2024 and doc.due_date.month == 3 and doc.due_date.day == 29`,
		`doc.creation.hour == 9 and doc.creation.minute == 15 and doc.creation.second == 2 and doc.creation.microsecond == 123456`,
		`doc.modified.minute == 45 and doc.modified.second == 0 and "2024-03-29T17:45:00".hour == 17`,
		`nowdate().year == 2024 and frappe.utils.now_datetime().hour == 10 and frappe.utils.add_days(doc.due_date, 3).month == 4`,
		// methods
		`doc.due_date.weekday() == 4 and doc.due_date.isoweekday() == 5 and doc.creation.weekday() == 2`,
		`doc.due_date.isoformat() == "2024-03-29" and doc.creation.isoformat() == "2024-02-28T09:15:02.123456" and doc.modified.isoformat() == "2024-03-29T17:45:00"`,
		`doc.creation.date() == doc.posting_date and doc.modified.date().weekday() == 4`,
		`doc.due_date.strftime("%d.%m.%Y %H:%M") == "29.03.2024 00:00" and doc.creation.strftime(format="%I%p %f") == "09AM 123456"`,
		// what a str does stays a str's
		`doc.due_date.replace("-", "/") == "2024/03/29" and doc.due_date.split("-")[0] == "2024" and doc.due_date + "!" == "2024-03-29!"`,
		`doc.due_date[:4] == "2024" and len(doc.creation) == 26 and doc.due_date > doc.posting_date and doc.due_date.startswith("2024")`,
		// subtraction: a timedelta, normalized as Python's
		`(doc.due_date - doc.posting_date).days == 30 and (doc.posting_date - doc.due_date).days == -30`,
		`(doc.modified - doc.creation).days == 30 and (doc.modified - doc.creation).seconds == 30597 and (doc.modified - doc.creation).microseconds == 876544`,
		`(doc.creation - doc.late).days == -1 and (doc.creation - doc.late).seconds == 86399 and (doc.creation - doc.late).microseconds == 999999`,
		`(doc.late - doc.creation).total_seconds() == 0.000001 and (doc.due_date - doc.posting_date).total_seconds() == 2592000`,
		`(doc.valid_till - "0001-01-01").days == 3652058 and (doc.valid_till - doc.due_date).days == 2913085`,
		// timedeltas compare with each other, equal nothing else, are false when 0
		`doc.due_date - doc.posting_date > doc.modified.date() - doc.due_date and doc.due_date - doc.due_date <= doc.modified - doc.modified`,
		`doc.due_date - doc.posting_date == "2024-01-31" - "2024-01-01" and doc.due_date - doc.posting_date != 30`,
		`doc.due_date - doc.posting_date is not None and not doc.due_date - doc.due_date and (doc.due_date - doc.posting_date or 1) != 1`,
		`doc.due_date - doc.posting_date in [30, "2024-01-31" - "2024-01-01"] and doc.due_date - doc.posting_date not in [30]`,
		// a timedelta as text
		`frappe.utils.cstr(doc.modified - doc.creation) == "30 days, 8:29:57.876544" and frappe.utils.cstr(doc.creation - doc.late) == "-1 day, 23:59:59.999999"`,
		`"%r|%r|%r" % (doc.due_date - doc.due_date, doc.late - doc.creation, doc.posting_date - doc.due_date) == "datetime.timedelta(0)|datetime.timedelta(microseconds=1)|datetime.timedelta(days=-30)"`,
		`frappe.utils.comma_and([doc.due_date - doc.posting_date], False) == "30 days, 0:00:00" and frappe.utils.cint(doc.due_date - doc.posting_date) == 0`,
	} {
		t.Run(src, func(t *testing.T) {
			c, err := Compile(src)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if got, err := c.Eval(dates, now); !got || err != nil {
				t.Errorf("got %v, %v; want true", got, err)
			}
		})
	}
}

// TestTextsThatAreNoDatesStayStr: only a real date or timestamp has a date's attributes.
func TestTextsThatAreNoDatesStayStr(t *testing.T) {
	for src, msg := range map[string]string{
		`doc.not_a_date.year`:                 "AttributeError: 'str' object has no attribute 'year'",
		`doc.status.weekday()`:                "AttributeError: 'str' object has no attribute 'weekday'",
		`"2024-03-29 ".isoformat()`:           "AttributeError: 'str' object has no attribute 'isoformat'",
		`doc.due_date.foo`:                    "AttributeError: 'str' object has no attribute 'foo'",
		`doc.status - doc.due_date`:           "TypeError: unsupported operand type(s) for -: 'str' and 'str'",
		`doc.due_date - 1`:                    "TypeError: unsupported operand type(s) for -: 'str' and 'int'",
		`doc.due_date.total_seconds()`:        "AttributeError: 'str' object has no attribute 'total_seconds'",
		`(doc.due_date - doc.due_date).year`:  "AttributeError: 'datetime.timedelta' object has no attribute 'year'",
		`(doc.due_date - doc.due_date) + 1`:   "TypeError: unsupported operand type(s) for +: 'datetime.timedelta' and 'int'",
		`(doc.due_date - doc.due_date)[0]`:    "TypeError: 'datetime.timedelta' object is not subscriptable",
		`doc.due_date - doc.due_date < "x"`:   "TypeError: '<' not supported between instances of 'datetime.timedelta' and 'str'",
		`(doc.due_date - doc.due_date).lower`: "AttributeError: 'datetime.timedelta' object has no attribute 'lower'",
	} {
		t.Run(src, func(t *testing.T) {
			c, err := Compile(src)
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			if _, err := c.Eval(dates, now); err == nil || err.(*Error).Msg != msg {
				t.Errorf("got %v, want %q", err, msg)
			}
		})
	}
}
