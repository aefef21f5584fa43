package erpdb

import (
	"fmt"
	"sort"
	"strings"
)

// Suggest names the closest column to name, for typos: " (did you mean \"x\"?)", or "".
func Suggest(name string, cols map[string]Column) string {
	keys := make([]string, 0, len(cols))
	for k := range cols {
		keys = append(keys, k)
	}
	return SuggestName(name, keys)
}

// SuggestName is Suggest among any names (tables, document types).
func SuggestName(name string, names []string) string {
	best, bestD := "", 4
	keys := append([]string(nil), names...)
	sort.Strings(keys)
	for _, c := range keys {
		if d := distance(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// distance is the Levenshtein distance of a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
