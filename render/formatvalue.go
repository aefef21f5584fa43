package render

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/rounding"
)

// Field is what the ERP's DocField says of a field, as its formatters read it: the field type,
// its options (the field that holds a Currency field's currency, ...) and its precision (""
// for the site's).
type Field struct {
	Type, Options, Precision string
}

// Fields are the fields of document types, by doctype and fieldname (Data.Fields).
type Fields map[string]map[string]Field

// frappeFormatValue is the ERP's frappe.format_value(value, df=None, doc=None, currency=None,
// translated=False, format=None), also frappe.format: a value as a form shows a field of type
// df.fieldtype (df is a dict, or the field type's name); see formatField.
func frappeFormatValue(e *exec.Evaluator, va *exec.VarArgs) (any, error) {
	args, err := call("format_value", va, 1, "value", "df", "doc", "currency", "translated", "format")
	if err != nil {
		return nil, err
	}
	st := stateOf(e.Environment.Context)
	var df Field
	if d := args[1]; d != nil && !d.IsNil() {
		if d.IsString() {
			df.Type = st.text(d)
		} else if ps, ok := pairs(d); ok {
			for _, p := range ps {
				v := st.text(exec.AsValue(p[1]))
				switch p[0] {
				case "fieldtype":
					df.Type = v
				case "options":
					df.Options = v
				case "precision":
					df.Precision = v
				}
			}
		} else {
			return nil, fmt.Errorf("format_value(): df must be a dict or a field type, not %s", pyType(d))
		}
	}
	docValue := func(string) any { return nil }
	if ps, ok := pairs(orNone(args[2])); ok {
		docValue = func(name string) any {
			for _, p := range ps {
				if p[0] == name {
					return p[1]
				}
			}
			return nil
		}
	}
	out, err := st.formatField(args[0], df, docValue, st.text(args[3]), st.text(args[5]))
	if err != nil {
		return nil, fmt.Errorf("format_value(): %w", err)
	}
	return out, nil
}

// orNone is v, or None for an argument not given.
func orNone(v *exec.Value) *exec.Value {
	if v == nil {
		return exec.AsValue(nil)
	}
	return v
}

// formatField is the ERP's format_value of a value for a field: Date and Datetime in the
// site's formats; Currency in the currency given, else the one the field's options name in the
// document (docValue), else the site's, with the field's precision or the site's; Float without
// decimals when its text has none but zeros ("show 1.000000 as 1", for a field without
// options), else with the field's precision or the site's float precision (3 by default);
// Percent as flt(value, 2) and "%"; Text and Small Text with their line breaks as <br> unless
// they hold HTML. Any other value is as it is, None "".
func (st *state) formatField(value *exec.Value, df Field, docValue func(string) any, currency, format string) (any, error) {
	if value == nil || value.IsNil() {
		return "", nil
	}
	precision := func(dflt int) int {
		if df.Precision == "" {
			return dflt
		}
		return int(toFlt(Plain, exec.AsValue(df.Precision)))
	}
	switch df.Type {
	case "Date":
		return st.formattedDate(value, "")
	case "Datetime":
		return st.formattedDatetime(value, "")
	case "Currency":
		if currency == "" && df.Options != "" {
			currency = st.text(exec.AsValue(docValue(df.Options)))
		}
		if currency == "" {
			currency = st.site.Currency
		}
		s, err := st.money(float64(toFlt(st.format, value)), precision(-1), currency, format)
		if err != nil {
			return nil, err
		}
		return st.format.Escape(s), nil
	case "Float":
		p := precision(cmpOr(st.site.FloatPrecision, 3))
		if df.Options == "" {
			// "show 1.000000 as 1": no decimals when the text of the value has none but zeros.
			if _, decimals, ok := strings.Cut(st.text(value), "."); !ok || cintText(decimals) == 0 {
				p = 0
			}
		}
		s, err := st.money(float64(toFlt(st.format, value)), p, "", format)
		if err != nil {
			return nil, err
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

// cmpOr is the positive one of n and dflt: a site's setting, or the ERP's default.
func cmpOr(n, dflt int) int {
	if n > 0 {
		return n
	}
	return dflt
}

// field is the DocField of a document type's field as the ERP's meta.get_field gives it, and
// get_default_df for the standard fields (creation and modified are Datetime, docstatus and
// idx Int, any other Data); ok is false when the rendering knows no fields of the doctype, whose
// values are then formatted by their own type (guessFormatted).
func (st *state) field(doctype, fieldname string) (f Field, ok bool) {
	fields, ok := st.fields[doctype]
	if !ok {
		return Field{}, false
	}
	if f, ok := fields[fieldname]; ok {
		return f, true
	}
	switch fieldname {
	case "creation", "modified":
		return Field{Type: "Datetime"}, true
	case "docstatus", "idx":
		return Field{Type: "Int"}, true
	}
	return Field{Type: "Data"}, true
}

// htmlBreak is what makes the ERP leave a Text value's line breaks as they are.
var htmlBreak = regexp.MustCompile(`(<br|<div|<p)`)

// cintText is the ERP's cint of a text: its integer, 0 when it is none.
func cintText(s string) int64 {
	n, _ := rounding.Cint(s)
	return n
}
