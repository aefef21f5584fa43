package pyformat

import (
	"math"
	"math/big"
	"testing"
)

// TestFormatSpecAsPython checks format(v, spec) against what Python 3.11 answers (each case
// was run through python3).
func TestFormatSpecAsPython(t *testing.T) {
	pow2 := func(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }
	tests := []struct {
		v    any
		spec string
		want string
		err  bool
	}{
		{int64(1), "abc", "ValueError: Invalid format specifier 'abc' for object of type 'int'", true},
		{1.5, "abc", "ValueError: Invalid format specifier 'abc' for object of type 'float'", true},
		{"x", "abc", "ValueError: Invalid format specifier 'abc' for object of type 'str'", true},
		{int64(1), ".3", "ValueError: Precision not allowed in integer format specifier", true},
		{int64(3), ".3", "ValueError: Precision not allowed in integer format specifier", true},
		{int64(1), "z", "ValueError: Negative zero coercion (z) not allowed in integer format specifier", true},
		{"x", "z", "ValueError: Negative zero coercion (z) not allowed in string format specifier", true},
		{1.5, "z", "1.5", false},
		{-0.0001, "z.2f", "0.00", false},
		{math.Copysign(0, -1), "z", "0.0", false},
		{math.Copysign(0, -1), "z.1", "0e+00", false},
		{"x", "+", "ValueError: Sign not allowed in string format specifier", true},
		{"x", "#", "ValueError: Alternate form (#) not allowed in string format specifier", true},
		{"x", "=5", "ValueError: '=' alignment not allowed in string format specifier", true},
		{"x", ",", "ValueError: Cannot specify ',' with 's'.", true},
		{"x", "d", "ValueError: Unknown format code 'd' for object of type 'str'", true},
		{"x", "05", "x0000", false},
		{"ab", "^5", " ab  ", false},
		{"abc", ".2", "ab", false},
		{"abc", "^7.2", "  ab   ", false},
		{"é", "*^4", "*é**", false},
		{int64(1), ".3d", "ValueError: Precision not allowed in integer format specifier", true},
		{int64(1), ",n", "ValueError: Cannot specify ',' with 'n'.", true},
		{1.5, ",n", "ValueError: Cannot specify ',' with 'n'.", true},
		{int64(1), ",x", "ValueError: Cannot specify ',' with 'x'.", true},
		{int64(16777215), "_x", "ff_ffff", false},
		{int64(16777215), "#012_x", "0x0_00ff_ffff", false},
		{int64(1234), "08,", "0,001,234", false},
		{int64(1234), "010,", "00,001,234", false},
		{int64(1234), "0=10,", "00,001,234", false},
		{int64(1234), "x=10,", "xxxxx1,234", false},
		{int64(1234), "0>10,", "000001,234", false},
		{1234.5, "012,.2f", "0,001,234.50", false},
		{int64(-1234), "012,", "-000,001,234", false},
		{int64(-1234), "=+12,", "-      1,234", false},
		{int64(65), "c", "A", false},
		{int64(65), "+c", "ValueError: Sign not allowed with integer format specifier 'c'", true},
		{int64(65), "#c", "ValueError: Alternate form (#) not allowed with integer format specifier 'c'", true},
		{int64(65), "5c", "    A", false},
		{int64(-1), "c", "OverflowError: %c arg not in range(0x110000)", true},
		{int64(1114112), "c", "OverflowError: %c arg not in range(0x110000)", true},
		{int64(65), ",c", "ValueError: Cannot specify ',' with 'c'.", true},
		{int64(1), "s", "ValueError: Unknown format code 's' for object of type 'int'", true},
		{true, "s", "ValueError: Unknown format code 's' for object of type 'bool'", true},
		{true, "", "True", false},
		{true, "5", "    1", false},
		{true, "d", "1", false},
		{false, ">4", "   0", false},
		{nil, "", "None", false},
		{nil, "5", "TypeError: unsupported format string passed to NoneType.__format__", true},
		{[]any{int64(1)}, "", "[1]", false},
		{[]any{int64(1)}, "5", "TypeError: unsupported format string passed to list.__format__", true},
		{int64(1), ",_", "ValueError: Cannot specify both ',' and '_'.", true},
		{int64(1), ".", "ValueError: Format specifier missing precision", true},
		{1.5, "#", "1.5", false},
		{1e16, "#", "1.e+16", false},
		{1e16, "", "1e+16", false},
		{1e16, ",", "1e+16", false},
		{1e22, ",.2f", "10,000,000,000,000,000,000,000.00", false},
		{99.995, "#.3g", "100.", false},
		{int64(255), "#x", "0xff", false},
		{int64(255), "#o", "0o377", false},
		{int64(255), "#b", "0b11111111", false},
		{int64(255), "#X", "0XFF", false},
		{int64(255), "+#06x", "+0x0ff", false},
		{1.0, "#.0f", "1.", false},
		{1.0, "#.0e", "1.e+00", false},
		{1.0, "#g", "1.00000", false},
		{2.675, ".0", "3e+00", false},
		{math.Copysign(0, -1), ".4", "-0.0", false},
		{10.0, ".2", "1e+01", false},
		{10.0, ".3", "10.0", false},
		{1e-5, ".3", "1e-05", false},
		{123456.0, ".3", "1.23e+05", false},
		{0.5, ".0", "0.5", false},
		{1.5, ".0%", "150%", false},
		{0.125, "%", "12.500000%", false},
		{int64(1), "%", "100.000000%", false},
		{int64(1), "e", "1.000000e+00", false},
		{int64(1), ".2f", "1.00", false},
		{45000.5, ",.2f", "45,000.50", false},
		{2.5, ".0f", "2", false},
		{3.5, ".0f", "4", false},
		{math.Inf(1), "F", "INF", false},
		{math.NaN(), "E", "NAN", false},
		{math.Inf(-1), "010", "-000000inf", false},
		{math.NaN(), "+010.2f", "+000000nan", false},
		{1.5, "n", "1.5", false},
		{1234567.0, "n", "1.23457e+06", false},
		{int64(1234567), "n", "1234567", false},
		{int64(12), "=^10", "====12====", false},
		{int64(12), "*<+10", "+12*******", false},
		{1.5, "#.3", "1.50", false},
		{100.0, "#.3", "1.00e+02", false},
		{1.5, "#.0", "2.e+00", false},
		{1e16, "#.0", "1.e+16", false},
		{5e-324, "", "5e-324", false},
		{1e16, "_", "1e+16", false},
		{1234.5, "_", "1_234.5", false},
		{1234.5, ",", "1,234.5", false},
		{123456789.0, ",", "123,456,789.0", false},
		{12345678912345678.0, ",", "1.2345678912345678e+16", false},
		{0.0001, ",", "0.0001", false},
		{0.00001, "", "1e-05", false},
		{int64(1), " ", " 1", false},
		{-1.5, " ", "-1.5", false},
		{1.5, " ", " 1.5", false},
		{0.1, ".17", "0.10000000000000001", false},
		{1e300, ".3g", "1e+300", false},
		{1e-300, "g", "1e-300", false},
		{123.456, "e", "1.234560e+02", false},
		{123.456, ".2E", "1.23E+02", false},
		{123.456, "G", "123.456", false},
		{0.00001234, "g", "1.234e-05", false},
		{0.0001234, "g", "0.0001234", false},
		{123456789.0, "g", "1.23457e+08", false},
		{1.5, "d", "ValueError: Unknown format code 'd' for object of type 'float'", true},
		{1.5, "x", "ValueError: Unknown format code 'x' for object of type 'float'", true},
		{1.5, "s", "ValueError: Unknown format code 's' for object of type 'float'", true},
		{int64(-5), "b", "-101", false},
		{int64(-5), "#o", "-0o5", false},
		{int64(3), "08.3f", "0003.000", false},
		{int64(3), "+.2e", "+3.00e+00", false},
		{-0.5, "z.0f", "0", false},
		{-0.5, ".0f", "-0", false},

		{"x", " ", "ValueError: Space not allowed in string format specifier", true},
		{math.Inf(-1), "012,", "-00000000inf", false},
		{math.NaN(), "0=12_.1f", "000000000nan", false},
		{pow2(70), ",", "1,180,591,620,717,411,303,424", false},
		{pow2(70), ",.2f", "1,180,591,620,717,411,303,424.00", false},
		{new(big.Int).Neg(pow2(70)), "_x", "-40_0000_0000_0000_0000", false},
		{pow2(1100), "e", "OverflowError: int too large to convert to float", true},
		{pow2(70), "c", "OverflowError: Python int too large to convert to C long", true},
	}
	for _, tt := range tests {
		got, err := FormatSpec(model, tt.v, tt.spec)
		switch {
		case tt.err && err == nil:
			t.Errorf("format(%s, %q) = %q; want %s", repr(tt.v), tt.spec, got, tt.want)
		case tt.err && err.Error() != tt.want:
			t.Errorf("format(%s, %q): %v; want %s", repr(tt.v), tt.spec, err, tt.want)
		case !tt.err && err != nil:
			t.Errorf("format(%s, %q): %v; want %q", repr(tt.v), tt.spec, err, tt.want)
		case !tt.err && got != tt.want:
			t.Errorf("format(%s, %q) = %q; want %q", repr(tt.v), tt.spec, got, tt.want)
		}
	}
}
