package render

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/rounding"
)

// frappeFormatValue is the ERP's frappe.format_value(value, df=None, doc=None, currency=None,
// translated=False, format=None), also frappe.format: a value as a form shows a field of type
// df.fieldtype (df is a dict, or the field type's name). Date, Datetime, Currency (in the
// currency given, else the one df.options names in doc, else the site's), Float (a whole
// number without decimals, else df.precision or the site's float precision), Percent and Text
// (line breaks as <br>) are formatted; any other value is returned as it is, None as "".
func frappeFormatValue(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("format_value", va, 1, "value", "df", "doc", "currency", "translated", "format")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	value := args[0]
	if value == nil || value.IsNil() {
		return "", nil
	}
	df := map[string]any{}
	if d := args[1]; d != nil && !d.IsNil() {
		if d.IsString() {
			df["fieldtype"] = st.text(d)
		} else if ps, ok := pairs(d); ok {
			for _, p := range ps {
				if k, ok := p[0].(string); ok {
					df[k] = p[1]
				}
			}
		} else {
			return nil, fmt.Errorf("format_value(): df must be a dict or a field type, not %s", pyType(d))
		}
	}
	text := func(k string) string { return st.text(exec.AsValue(df[k])) }
	switch text("fieldtype") {
	case "Date":
		return formatdate(e, &exec.VarArgs{Args: []*exec.Value{value}})
	case "Datetime":
		return formatDatetimeFunc(e, &exec.VarArgs{Args: []*exec.Value{value}})
	case "Currency":
		currency := st.text(args[3])
		if currency == "" && text("options") != "" && args[2] != nil {
			if ps, ok := pairs(args[2]); ok {
				for _, p := range ps {
					if p[0] == text("options") {
						currency = st.text(exec.AsValue(p[1]))
					}
				}
			}
		}
		if currency == "" {
			currency = st.site.Currency
		}
		precision := -1
		if df["precision"] != nil && text("precision") != "" {
			precision = int(toFlt(Plain, exec.AsValue(df["precision"])))
		}
		s, err := st.money(float64(toFlt(st.format, value)), precision, currency, st.text(args[5]))
		if err != nil {
			return nil, fmt.Errorf("format_value(): %w", err)
		}
		return st.format.Escape(s), nil
	case "Float":
		precision := st.site.FloatPrecision
		if precision <= 0 {
			precision = 3
		}
		if df["precision"] != nil && text("precision") != "" {
			precision = int(toFlt(Plain, exec.AsValue(df["precision"])))
		}
		if text("options") == "" {
			// "show 1.000000 as 1": no decimals when the text of the value has none but zeros.
			if _, decimals, ok := strings.Cut(st.text(value), "."); !ok || cintText(decimals) == 0 {
				precision = 0
			}
		}
		s, err := st.money(float64(toFlt(st.format, value)), precision, "", st.text(args[5]))
		if err != nil {
			return nil, fmt.Errorf("format_value(): %w", err)
		}
		return st.format.Escape(s), nil
	case "Percent":
		f, _ := fltOf(st.format, value, exec.AsValue(2)).(number)
		return display(exec.AsValue(f)) + "%", nil
	case "Text", "Small Text":
		if s := st.text(value); !htmlBreak.MatchString(s) {
			return strings.ReplaceAll(st.format.Escape(s), "\n", "<br>"), nil
		}
	}
	return value.Interface(), nil
}

// htmlBreak is what makes the ERP leave a Text value's line breaks as they are.
var htmlBreak = regexp.MustCompile(`(<br|<div|<p)`)

// cintText is the ERP's cint of a text: its integer, 0 when it is none.
func cintText(s string) int64 {
	n, _ := rounding.Cint(s)
	return n
}
