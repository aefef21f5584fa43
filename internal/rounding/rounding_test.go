package rounding

import (
	"math"
	"testing"
)

func TestPythonRoundsLikePython(t *testing.T) {
	tests := []struct {
		f    float64
		n    int
		want float64
	}{
		{2.675, 2, 2.67}, // 2.675 is 2.67499999... in binary
		{0.5, 0, 0},
		{1.5, 0, 2},
		{2.5, 0, 2},
		{-2.5, 0, -2},
		{1234.5, -1, 1230},
		{1250, -2, 1200},
		{45000.555, 2, 45000.56},
		{1e300, 400, 1e300},
		{123, -400, 0},
	}
	for _, tt := range tests {
		if got := Python(tt.f, tt.n); got != tt.want {
			t.Errorf("Python(%v, %d) = %v, want %v", tt.f, tt.n, got, tt.want)
		}
	}
	if got := Python(math.NaN(), 2); !math.IsNaN(got) {
		t.Errorf("Python(NaN) = %v", got)
	}
}

func TestLegacyRoundsLikeTheERP(t *testing.T) {
	tests := []struct {
		f         float64
		precision int
		want      float64
	}{
		{2.675, 2, 2.68}, // a half after scaling rounds up
		{1.005, 2, 1.01},
		{0.125, 2, 0.13},
		{2.5, 0, 2}, // to whole numbers: halves to even
		{3.5, 0, 4},
		{-0.125, 2, -0.12},
		{45000.499999999, 2, 45000.5},
		{1234.5678, 1, 1234.6},
	}
	for _, tt := range tests {
		got, ok := Legacy(tt.f, tt.precision)
		if !ok || got != tt.want {
			t.Errorf("Legacy(%v, %d) = %v, %v; want %v", tt.f, tt.precision, got, ok, tt.want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1)} {
		if _, ok := Legacy(f, 2); ok {
			t.Errorf("Legacy(%v) ok", f)
		}
	}
}

func TestCintConvertsTextLikeTheERP(t *testing.T) {
	// Expected values are Python's int(float(s)), the ERP's cint; "-" is its default (0).
	for _, tc := range []struct {
		s    string
		want int64
		ok   bool
	}{
		{"12", 12, true},
		{" 12.7 ", 12, true},
		{"-12.7", -12, true},
		{"+3", 3, true},
		{"1e3", 1000, true},
		{"1_000", 1000, true},
		{".5", 0, true},
		{"1,234", 0, false},
		{"1__000", 0, false},
		{"_1", 0, false},
		{"abc", 0, false},
		{"", 0, false},
		{"nan", 0, false},
		{"inf", 0, false},
		{"-Infinity", 0, false},
		{"0x10", 0, false},
		{"1e999", 0, false},
		{"1e-999", 0, true},
	} {
		got, ok := Cint(tc.s)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Cint(%q) = %d, %v; want %d, %v", tc.s, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFloorAndCeilAreWholeOrZero(t *testing.T) {
	for _, c := range []struct {
		in          float64
		floor, ceil float64
	}{
		{2.7, 2, 3},
		{-2.1, -3, -2},
		{3, 3, 3},
		{-0.5, -1, 0},
		{0.001, 0, 1},
		{1e300, 1e300, 1e300},
		{math.NaN(), 0, 0},
		{math.Inf(1), 0, 0},
		{math.Inf(-1), 0, 0},
	} {
		if got := Floor(c.in); got != c.floor || math.Signbit(got) && got == 0 {
			t.Errorf("Floor(%v) = %v, want %v", c.in, got, c.floor)
		}
		if got := Ceil(c.in); got != c.ceil || math.Signbit(got) && got == 0 {
			t.Errorf("Ceil(%v) = %v, want %v", c.in, got, c.ceil)
		}
	}
}
