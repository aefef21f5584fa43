package pyfloat

import (
	"math"
	"testing"
)

// TestPowIsPythons: each answer is CPython 3.11's x ** y, printed by repr; the comments give
// math.Pow's where it differs.
func TestPowIsPythons(t *testing.T) {
	for _, c := range []struct{ x, y, want float64 }{
		{2, 1.5, 2.8284271247461903},         // math.Pow: 2.82842712474619
		{0.5, -0.5, 1.4142135623730951},      // 1.414213562373095
		{3, -2.5, 0.06415002990995841},       // 0.06415002990995843
		{1.0001, 100, 1.0100496620928754},    // 1.0100496620928734
		{1.5, 1000, 1.2338405969061735e+176}, // ...734e+176
		{1.05, 10, 1.628894626777442},        // 1.6288946267774416
		{1.1, 3, 1.3310000000000004},
		{2, 0.5, 1.4142135623730951},
		{10, 2.5, 316.22776601683796},
		{45000.5, 0.5, 212.1332128639926},
		{2.25, 1.5, 3.375},
		{-2, 3, -8},
		{-1.5, -3, -0.2962962962962963},
		{7, 0.3, 1.792789962520997},
		{8, 1.0 / 3, 2}, // 1.9999999999999998
		{1.05, 30.0 / 365, 1.004018201891975},
		{2, 0.1, 1.0717734625362931},
		{100, -0.25, 0.31622776601683794},
		{45000.5, 0.75, 3089.676462914216},
		{1e-5, 1.7, 3.1622776601683816e-09},
		{1.0000001, 1e9, 2.6881038582144647e+43}, // 2.688103843211962e+43
	} {
		if got := Pow(c.x, c.y); got != c.want {
			t.Errorf("%v ** %v = %v, want %v", c.x, c.y, got, c.want)
		}
	}
	for _, c := range [][2]float64{{-2, 0.5}, {0, -1}, {math.Inf(1), 0.5}, {10, 400}, {0.1, 1000}} {
		got, want := Pow(c[0], c[1]), math.Pow(c[0], c[1])
		if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Errorf("%v ** %v = %v, want math.Pow's %v", c[0], c[1], got, want)
		}
	}
}

// TestFloorDivIsPythons: each answer is CPython 3.11's x // y; the comments give
// math.Floor(x / y)'s where it differs.
func TestFloorDivIsPythons(t *testing.T) {
	for _, c := range []struct{ x, y, want float64 }{
		{1, 0.1, 9},   // 10
		{0.7, 0.1, 6}, // 7
		{-7.5, 2, -4},
		{7.5, -2, -4},
		{-1e-300, 1e300, -1},
		{5, 0.0001, 49999}, // 50000
	} {
		if got := FloorDiv(c.x, c.y); got != c.want {
			t.Errorf("%v // %v = %v, want %v", c.x, c.y, got, c.want)
		}
	}
	if got := FloorDiv(0, -3); !math.Signbit(got) {
		t.Errorf("0.0 // -3 = %v, want -0.0", got)
	}
}

// TestModIsPythons: each answer is CPython 3.11's x % y, its zero's sign included.
func TestModIsPythons(t *testing.T) {
	for _, c := range []struct{ x, y, want float64 }{
		{-7, 0.5, 0}, {1.5, -0.5, math.Copysign(0, -1)}, {5, -3, -1}, {-5.5, 2, 0.5}, {7.5, 2, 1.5},
	} {
		if got := Mod(c.x, c.y); got != c.want || math.Signbit(got) != math.Signbit(c.want) {
			t.Errorf("%v %% %v = %v, want %v", c.x, c.y, got, c.want)
		}
	}
}
