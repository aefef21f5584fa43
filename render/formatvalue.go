package render

import (
	"fmt"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/sitefmt"
)

// Field is what the ERP's DocField says of a field, as its formatters read it
// (sitefmt.Field): the field type, its options and its precision.
type Field = sitefmt.Field

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
				case "hide_days":
					df.HideDays = exec.AsValue(p[1]).IsTrue()
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

// formatField is the ERP's format_value of a value for a field, as sitefmt.Site.FormatValue
// writes it (conditions' frappe.format_value too), docValue giving the document's fields; a
// value it does not format is as it is, None "" (but an empty Datetime's None).
func (st *state) formatField(value *exec.Value, df Field, docValue func(string) any, currency, format string) (any, error) {
	v := sitefmt.FieldValue{Text: st.text(value), Float: float64(toFlt(st.format, value)), Type: "Data"}
	switch {
	case value == nil || value.IsNil() || value.IsString():
		v.Str = true
	case value.IsBool() || value.IsInteger():
		v.Type = "Int"
	case value.IsFloat():
		v.Type = "Float"
	}
	docText := func(name string) string { return st.text(exec.AsValue(docValue(name))) }
	out, made, err := st.site.Formats().FormatValue(v, df, docText, currency, format, st.format.Escape)
	switch {
	case err != nil:
		return nil, err
	case made == sitefmt.Written:
		return out, nil
	case made == sitefmt.None:
		return nil, nil
	case value == nil || value.IsNil():
		return "", nil
	}
	return value.Interface(), nil
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
