package sitefmt

import (
	"errors"
	"strings"
	"testing"
)

// format_value writes a value as a form shows a field of the type: dates in the site's
// formats, money and numbers by fmt_money, percents, text's line breaks; the value's own type
// without a field; None as "" or, for a Datetime, None.
func TestFormatValueWritesAValueAsAFieldOfItsType(t *testing.T) {
	site := Site{Currency: "USD", FloatPrecision: 2}
	doc := func(name string) string { return map[string]string{"currency": "EUR"}[name] }
	text := func(s string) FieldValue { return FieldValue{Text: s, Str: true, Type: "Data"} }
	float := func(f float64, s string) FieldValue { return FieldValue{Text: s, Float: f, Type: "Float"} }
	none := FieldValue{Str: true, Type: "Data"}
	for _, c := range []struct {
		name string
		v    FieldValue
		df   Field
		want string
		made Made
	}{
		{"date", text("2026-12-31"), Field{Type: "Date"}, "31-12-2026", Written},
		{"timestamp", text("2026-12-31 09:05:00"), Field{Type: "Datetime"}, "31-12-2026 09:05:00", Written},
		{"empty date", none, Field{Type: "Date"}, "", Written},
		{"empty timestamp", none, Field{Type: "Datetime"}, "", None},
		{"currency of the document", float(45000.5, "45000.5"), Field{Type: "Currency", Options: "currency"}, "€ 45,000.50", Written},
		{"currency of the site", float(45000.5, "45000.5"), Field{Type: "Currency"}, "$ 45,000.50", Written},
		{"None as money", none, Field{Type: "Currency"}, "$ 0.00", Written},
		{"a text amount is rounded first", FieldValue{Text: "2.675", Float: 2.675, Str: true}, Field{Type: "Currency"}, "$ 2.68", Written},
		{"whole float", float(40000, "40000.0"), Field{Type: "Float"}, "40,000", Written},
		{"float in the site's precision", float(2.125, "2.125"), Field{Type: "Float"}, "2.12", Written},
		{"float in the field's", float(2.125, "2.125"), Field{Type: "Float", Precision: "1"}, "2.1", Written},
		{"guessed float", float(1234.5, "1234.5"), Field{}, "1,234.50", Written},
		{"percent", float(12.345, "12.345"), Field{Type: "Percent"}, "12.35%", Written},
		{"small text", text("a & b\nc"), Field{Type: "Small Text"}, "a &amp; b<br>c", Written},
		{"text with HTML", text("<p>a\nb</p>"), Field{Type: "Text"}, "", AsIs},
		{"text editor", text("x"), Field{Type: "Text Editor"}, "<div class='ql-snow'>x</div>", Written},
		{"duration", float(93784, "93784"), Field{Type: "Duration"}, "1d 2h 3m 4s", Written},
		{"duration without days", float(93784, "93784"), Field{Type: "Duration", HideDays: true}, "26h 3m 4s", Written},
		{"time", text("9:05"), Field{Type: "Time"}, "09:05:00", Written},
		{"time of a timestamp", text("2026-12-31 18:05:01"), Field{Type: "Time"}, "18:05:01", Written},
		{"no time", text("soon"), Field{Type: "Time"}, "", AsIs},
		{"data", text("x"), Field{Type: "Data"}, "", AsIs},
		{"guessed int", FieldValue{Text: "3", Float: 3, Type: "Int"}, Field{}, "", AsIs},
	} {
		escape := func(s string) string { return strings.ReplaceAll(s, "&", "&amp;") }
		got, made, err := site.FormatValue(c.v, c.df, doc, "", "", escape)
		if got != c.want || made != c.made || err != nil {
			t.Errorf("%s: FormatValue = %q, %v, %v; want %q, %v", c.name, got, made, err, c.want, c.made)
		}
	}
	if _, _, err := site.FormatValue(FieldValue{Text: "5", Float: 5, Type: "Int"}, Field{Type: "Text"}, nil, "", "", nil); !errors.Is(err, ErrNotText) {
		t.Errorf("a number as Text: %v; want ErrNotText", err)
	}
	if _, _, err := site.FormatValue(text("soon"), Field{Type: "Date"}, nil, "", "", nil); err == nil {
		t.Error("a text that is no date as a Date: no error")
	}
}
