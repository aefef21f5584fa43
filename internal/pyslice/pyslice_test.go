package pyslice

import (
	"slices"
	"testing"
)

// TestRangeIsPythons checks Range against what Python's range(n)[start:stop:step] gives,
// written out by hand.
func TestRangeIsPythons(t *testing.T) {
	p := func(i int) *int { return &i }
	cases := []struct {
		n           int
		start, stop *int
		step        int
		want        []int
	}{
		{5, nil, nil, 1, []int{0, 1, 2, 3, 4}},
		{5, nil, nil, -1, []int{4, 3, 2, 1, 0}},
		{5, nil, nil, 2, []int{0, 2, 4}},
		{5, nil, nil, -2, []int{4, 2, 0}},
		{5, p(1), p(3), 1, []int{1, 2}},
		{5, p(3), p(1), 1, nil},
		{5, p(3), p(1), -1, []int{3, 2}},
		{5, p(-2), nil, 1, []int{3, 4}},
		{5, nil, p(-6), -1, []int{4, 3, 2, 1, 0}},
		{5, p(-100), p(100), 1, []int{0, 1, 2, 3, 4}},
		{5, p(100), p(-100), -1, []int{4, 3, 2, 1, 0}},
		{5, p(100), nil, 1, nil},
		{5, nil, nil, 7, []int{0}},
		{5, nil, nil, -7, []int{4}},
		{5, nil, p(-3), -2, []int{4}},
		{0, nil, nil, -1, nil},
		{6, p(-1), p(-5), -2, []int{5, 3}},
	}
	for _, c := range cases {
		first, count := Range(c.n, c.start, c.stop, c.step)
		var got []int
		for k := range count {
			got = append(got, first+k*c.step)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("range(%d)[%v:%v:%d] = %v, want %v", c.n, deref(c.start), deref(c.stop), c.step, got, c.want)
		}
	}
}

func deref(p *int) any {
	if p == nil {
		return ""
	}
	return *p
}
