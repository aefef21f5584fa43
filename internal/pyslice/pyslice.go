// Package pyslice is Python's slice arithmetic, for conditions and templates alike: which
// items x[start:stop:step] takes from a sequence of n.
package pyslice

// Range is what x[start:stop:step] takes from n items, as Python's slice.indices(n) walks it:
// the first index and how many, each step apart. A nil bound is left out; a negative one
// counts from the end; both are clamped to where a walk in the step's direction can start or
// stop. step must not be 0.
func Range(n int, start, stop *int, step int) (first, count int) {
	bound := func(b *int, missing int) int {
		if b == nil {
			return missing
		}
		i := *b
		switch {
		case i < 0 && i+n < 0 && step < 0:
			return -1
		case i < 0 && i+n < 0:
			return 0
		case i < 0:
			return i + n
		case i >= n && step < 0:
			return n - 1
		case i >= n:
			return n
		}
		return i
	}
	if step > 0 {
		from, to := bound(start, 0), bound(stop, n)
		if from < to {
			return from, (to-from-1)/step + 1
		}
		return from, 0
	}
	from, to := bound(start, n-1), bound(stop, -1)
	if to < from {
		return from, (from-to-1)/(-step) + 1
	}
	return from, 0
}
