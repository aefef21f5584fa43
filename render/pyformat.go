package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nikolalohinski/gonja/v2/exec"
)

// percentFormat is Python's printf-style formatting, "format % args" (and the |format filter):
// %[(key)][flags][width][.precision]type with the types d i u o x X e E f F g G c r s a %.
// A tuple or list gives the arguments, a dict the (key)s, anything else is the one argument.
// Widths and precisions are charged to the rendering's budget before anything is built.
func percentFormat(st *state, format string, args *exec.Value) (string, error) {
	var list []*exec.Value
	var mapping *exec.Value
	switch {
	case args.IsList():
		for _, item := range items(args) {
			list = append(list, exec.ToValue(item))
		}
	case args.IsDict():
		mapping = args
		list = []*exec.Value{args}
	default:
		list = []*exec.Value{args}
	}
	var b strings.Builder
	next := 0
	arg := func() (*exec.Value, error) {
		if next >= len(list) {
			return nil, fmt.Errorf("TypeError: not enough arguments for format string")
		}
		next++
		return list[next-1], nil
	}
	usedKeys := false
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(format) {
			return "", fmt.Errorf("ValueError: incomplete format")
		}
		var value *exec.Value
		if format[i] == '(' {
			end := strings.IndexByte(format[i:], ')')
			if end < 0 || mapping == nil {
				return "", fmt.Errorf("TypeError: format requires a mapping")
			}
			key := format[i+1 : i+end]
			v, ok := mapping.GetItem(key)
			if !ok {
				return "", fmt.Errorf("KeyError: '%s'", key)
			}
			value, usedKeys = v, true
			i += end + 1
		}
		start := i
		for i < len(format) && strings.IndexByte("-+ #0", format[i]) >= 0 {
			i++
		}
		flags := format[start:i]
		width, prec := -1, -1
		num := func() (int, error) {
			if i < len(format) && format[i] == '*' {
				i++
				v, err := arg()
				if err != nil {
					return 0, err
				}
				if !v.IsInteger() {
					return 0, fmt.Errorf("TypeError: * wants int")
				}
				return v.Integer(), nil
			}
			n := 0
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				n = min(n*10+int(format[i]-'0'), math.MaxInt32)
				i++
			}
			return n, nil
		}
		if i < len(format) && (format[i] == '*' || format[i] >= '0' && format[i] <= '9') {
			w, err := num()
			if err != nil {
				return "", err
			}
			if w < 0 {
				flags, w = flags+"-", -w
			}
			width = w
		}
		if i < len(format) && format[i] == '.' {
			i++
			p, err := num()
			if err != nil {
				return "", err
			}
			prec = max(p, 0)
		}
		if i >= len(format) {
			return "", fmt.Errorf("ValueError: incomplete format")
		}
		verb := format[i]
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		if value == nil {
			v, err := arg()
			if err != nil {
				return "", err
			}
			value = v
		}
		if err := st.charge(float64(b.Len()) + float64(max(width, 0)) + float64(max(prec, 0)) + textSize(value.Interface(), float64(st.limits.MaxString)+1)); err != nil {
			return "", err
		}
		s, err := percentOne(flags, width, prec, verb, value)
		if err != nil {
			return "", err
		}
		if err := st.charge(float64(b.Len()) + float64(len(s))); err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	if next < len(list) && !usedKeys && mapping == nil {
		return "", fmt.Errorf("TypeError: not all arguments converted during string formatting")
	}
	return b.String(), nil
}

// percentOne formats one value for one %-conversion.
func percentOne(flags string, width, prec int, verb byte, v *exec.Value) (string, error) {
	spec := "%" + flags
	if width >= 0 {
		spec += strconv.Itoa(width)
	}
	if prec >= 0 {
		spec += "." + strconv.Itoa(prec)
	}
	switch verb {
	case 's', 'r', 'a':
		s := pyStr(v)
		if verb != 's' {
			s = pyRepr(v)
		}
		return fmt.Sprintf(strings.NewReplacer("0", "", "#", "", "+", "", " ", "").Replace(spec[:1+len(flags)])+spec[1+len(flags):]+"s", s), nil
	case 'd', 'i', 'u', 'o', 'x', 'X':
		n, ok := asNum(v)
		if !ok {
			return "", fmt.Errorf("TypeError: %%%c format: a real number is required, not %s", verb, pyType(v))
		}
		i := n.i
		if n.isFloat {
			if math.IsNaN(n.f) || math.IsInf(n.f, 0) {
				return "", fmt.Errorf("ValueError: cannot convert float %s to integer", formatFloat(n.f))
			}
			i = int(n.f)
		}
		goVerb := map[byte]string{'d': "d", 'i': "d", 'u': "d", 'o': "o", 'x': "x", 'X': "X"}[verb]
		s := fmt.Sprintf(spec+goVerb, i)
		if verb == 'o' && strings.Contains(flags, "#") {
			s = strings.Replace(s, "0", "0o", 1)
		}
		return s, nil
	case 'e', 'E', 'f', 'F', 'g', 'G':
		n, ok := asNum(v)
		if !ok {
			return "", fmt.Errorf("TypeError: must be real number, not %s", pyType(v))
		}
		if prec < 0 {
			spec += ".6"
		}
		goVerb := string(verb)
		if verb == 'F' {
			goVerb = "f"
		}
		s := fmt.Sprintf(spec+goVerb, n.float())
		return pyFloatSpecials(s, verb), nil
	case 'c':
		if v.IsInteger() {
			return fmt.Sprintf(strings.ReplaceAll(spec, "0", "")+"c", rune(v.Integer())), nil
		}
		if s := v.String(); v.IsString() && len([]rune(s)) == 1 {
			return fmt.Sprintf(spec+"s", s), nil
		}
		return "", fmt.Errorf("TypeError: %%c requires int or char")
	}
	return "", fmt.Errorf("ValueError: unsupported format character '%c'", verb)
}

// pyFloatSpecials writes Go's infinities and NaN as Python does.
func pyFloatSpecials(s string, verb byte) string {
	r := strings.NewReplacer("+Inf", "inf", "-Inf", "-inf", "Inf", "inf", "NaN", "nan")
	s = r.Replace(s)
	if verb == 'E' || verb == 'F' || verb == 'G' {
		s = strings.NewReplacer("inf", "INF", "nan", "NAN").Replace(s)
	}
	return s
}

// pyStr is Python's str() of a template value.
func pyStr(v *exec.Value) string {
	if v.IsNil() {
		return "None"
	}
	return display(v)
}

// pyRepr is Python's repr() of a template value.
func pyRepr(v *exec.Value) string {
	if v.IsString() {
		s := v.String()
		if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
			return `"` + strings.ReplaceAll(s, `\`, `\\`) + `"`
		}
		return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`, "\n", `\n`, "\t", `\t`, "\r", `\r`).Replace(s) + "'"
	}
	return pyStr(v)
}
