package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/BurntSushi/toml"
)

// place is where a value lives in the file: a key of a top-level table, or a key of the
// index-th element of an array of tables ([[webhook]], [[notification]]), named for humans by
// its name key.
type place struct {
	table string // "webhook", "notification"; "" for dotted top-level keys
	index int
	name  string
	key   string // "condition", or "database.dsn" when table is ""
}

func (p place) String() string {
	switch {
	case p.table == "":
		return p.key
	case p.name != "":
		if p.key == "" {
			return fmt.Sprintf("%s %q", p.table, p.name)
		}
		return fmt.Sprintf("%s %q: %s", p.table, p.name, p.key)
	case p.key == "":
		return fmt.Sprintf("%s #%d", p.table, p.index+1)
	default:
		return fmt.Sprintf("%s #%d: %s", p.table, p.index+1, p.key)
	}
}

// locator finds the line of a key in the file's text. TOML's decoder keeps key positions to
// itself, so this reads the plain shapes people write: [table], [[array]] headers and
// `key = value` lines, skipping the inside of multi-line strings.
type locator struct {
	path  string
	lines map[string]int // "database.dsn", "notification.2.condition", "notification.2" -> line
}

var (
	headerRe = regexp.MustCompile(`^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?`)
	keyRe    = regexp.MustCompile(`^\s*([A-Za-z0-9_\-]+)\s*=`)
)

func newLocator(path, text string) *locator {
	l := &locator{path: path, lines: map[string]int{}}
	prefix := ""
	counts := map[string]int{}
	var inString string // the delimiter of an open multi-line string
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		if inString != "" {
			if strings.Count(line, inString)%2 == 1 {
				inString = ""
			}
			continue
		}
		if m := headerRe.FindStringSubmatch(line); m != nil {
			name := m[2]
			if m[1] == "[[" {
				prefix = fmt.Sprintf("%s.%d", name, counts[name])
				counts[name]++
			} else {
				prefix = name
			}
			if _, ok := l.lines[prefix]; !ok {
				l.lines[prefix] = n
			}
			continue
		}
		if m := keyRe.FindStringSubmatch(line); m != nil {
			key := m[1]
			if prefix != "" {
				key = prefix + "." + key
			}
			if _, ok := l.lines[key]; !ok {
				l.lines[key] = n
			}
			for _, q := range []string{`'''`, `"""`} {
				if strings.Count(line, q)%2 == 1 {
					inString = q
				}
			}
		}
	}
	return l
}

// line returns the line of a place, or of its table element, or 0.
func (l *locator) line(p place) int {
	var keys []string
	if p.table == "" {
		keys = []string{p.key, strings.SplitN(p.key, ".", 2)[0]}
	} else {
		elem := fmt.Sprintf("%s.%d", p.table, p.index)
		keys = []string{elem + "." + p.key, elem}
	}
	for _, k := range keys {
		if n, ok := l.lines[k]; ok {
			return n
		}
	}
	return 0
}

// at formats a problem at a place: `walnotify.toml:12: notification "X": condition: ...`.
func (l *locator) at(p place, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if n := l.line(p); n > 0 {
		return fmt.Errorf("%s:%d: %s: %s", l.path, n, p, msg)
	}
	return fmt.Errorf("%s: %s: %s", l.path, p, msg)
}

// errorf reports a problem about a decoded key path such as notification.typo. Keys inside
// arrays of tables come without their element's index: the first line using the key is given.
func (l *locator) errorf(k toml.Key, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	n, ok := l.lines[k.String()]
	if !ok && len(k) >= 2 {
		n = l.firstLine(k)
	}
	if n > 0 {
		return fmt.Errorf("%s:%d: %s", l.path, n, msg)
	}
	return fmt.Errorf("%s: %s", l.path, msg)
}

// firstLine is the smallest line of any element's key k[0].<i>.k[last].
func (l *locator) firstLine(k toml.Key) int {
	best := 0
	for key, n := range l.lines {
		parts := strings.Split(key, ".")
		if len(parts) == 3 && parts[0] == k[0] && parts[2] == k[len(k)-1] && (best == 0 || n < best) {
			best = n
		}
	}
	return best
}
