package render

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/nikolalohinski/gonja/v2/exec"

	"walnotify/internal/pystr"
)

// filterWordwrap is Jinja2's do_wordwrap(s, width=79, break_long_words=True, wrapstring=None,
// break_on_hyphens=True): each of the text's lines (str.splitlines()) wrapped by Python's
// textwrap.wrap with expand_tabs and replace_whitespace off, the pieces of a line and then the
// lines joined by wrapstring ("\n" when None, the environment's newline_sequence). gonja's kept
// words longer than width whole and took no break_long_words or break_on_hyphens. The input is
// taken as its text, as |center takes it: NULL is "" and a number its digits (the ERP's
// wordwrap fails on anything but a text: 'NoneType' object has no attribute 'splitlines').
func filterWordwrap(e *exec.Evaluator, in *exec.Value, params *exec.VarArgs) *exec.Value {
	a, err := bind(params, "width", "break_long_words", "wrapstring", "break_on_hyphens")
	if err != nil {
		return exec.AsValue(fmt.Errorf("wordwrap(): %w", err))
	}
	sep := "\n"
	if a[2] != nil && !a[2].IsNil() {
		if !a[2].IsString() {
			return exec.AsValue(fmt.Errorf("AttributeError: '%s' object has no attribute 'join'", pyType(a[2])))
		}
		sep = a[2].String()
	}
	out, err := newWrapper(a[0], a[1], a[3]).wrapLines(stateOf(e.Environment.Context), display(in), sep)
	if err != nil {
		return exec.AsValue(err)
	}
	return exec.AsValue(out)
}

// newWrapper is the TextWrapper of wordwrap's width (79 when not given), break_long_words and
// break_on_hyphens (True when not given); nil is an argument not given.
func newWrapper(width, breakLongWords, breakOnHyphens *exec.Value) wrapper {
	w := wrapper{width: pyNum{i: 79}, breakLongWords: true, hyphenChunks: true, hyphenLongWords: true}
	if width != nil {
		n, ok := asNum(width)
		w.width, w.widthRepr = n, pyReprAny(width)
		if !ok {
			w.notNumber = pyType(width)
		}
	}
	if breakLongWords != nil {
		w.breakLongWords = breakLongWords.IsTrue()
	}
	if breakOnHyphens != nil {
		w.hyphenChunks = breakOnHyphens.IsBool() && breakOnHyphens.Bool()
		w.hyphenLongWords = breakOnHyphens.IsTrue()
	}
	return w
}

// wrapper is a textwrap.TextWrapper as Jinja2's wordwrap makes it: no indents, tabs and line
// breaks left as they are, whitespace dropped at the ends of lines, no max_lines.
type wrapper struct {
	// width is an int, a bool or a float, as Python compares it, and widthRepr its repr();
	// notNumber is the Python type of a width that is no number, which fails.
	width                pyNum
	widthRepr, notNumber string
	// breakLongWords is break_long_words: a word longer than width is cut to fit.
	breakLongWords bool
	// hyphenChunks is break_on_hyphens is True (textwrap tests it with "is"): words split
	// after the hyphens of compound words; hyphenLongWords is its truth, with which a long word
	// is cut after a hyphen that fits.
	hyphenChunks, hyphenLongWords bool
}

// wrapLines is do_wordwrap's join: wrapstring.join(wrapstring.join(wrap(line)) for line in
// s.splitlines()). The output is checked against MaxString as it grows, so a long wrapstring
// cannot build past the budget before the filter's result is charged.
func (w wrapper) wrapLines(st *state, s, sep string) (string, error) {
	var b strings.Builder
	for i, line := range pystr.SplitLines(s, false) {
		pieces, err := w.wrap(line)
		if err != nil {
			return "", err
		}
		for j, piece := range pieces {
			if i > 0 || j > 0 {
				b.WriteString(sep)
			}
			b.WriteString(piece)
			if b.Len() > st.limits.MaxString {
				return "", st.charge(float64(b.Len()))
			}
		}
		if len(pieces) == 0 && i > 0 {
			b.WriteString(sep)
		}
	}
	if b.Len() > st.limits.MaxString {
		return "", st.charge(float64(b.Len()))
	}
	return b.String(), nil
}

// wrap is TextWrapper.wrap(text) for one line: its chunks (_split) laid into lines of at most
// width characters (_wrap_chunks). Python compares the width first, so a width that is no
// number or is not above 0 fails on any line, an empty one too, but not on a text without
// lines.
func (w wrapper) wrap(line string) ([]string, error) {
	text := []rune(line)
	if w.hyphenChunks {
		return w.wrapChunks(hyphenatedChunks(text))
	}
	return w.wrapChunks(spacedChunks(text))
}

// wrapChunks is TextWrapper._wrap_chunks: chunks are taken onto a line while they fit; a chunk
// longer than any line is handled by handleLongWord; whitespace is dropped at the start of
// every line but the first and at the end of every line; a line left empty is no line.
// A width <= 0 is Python's ValueError, and so is nan here (Python loops for ever on it).
func (w wrapper) wrapChunks(chunks [][]rune) ([]string, error) {
	switch {
	case w.notNumber != "":
		return nil, fmt.Errorf("TypeError: '<=' not supported between instances of '%s' and 'int'", w.notNumber)
	case w.width.float() <= 0 || math.IsNaN(w.width.float()):
		// Python compares a nan width as above 0, and then loops for ever: nothing fits.
		return nil, fmt.Errorf("ValueError: invalid width %s (must be > 0)", w.widthRepr)
	}
	var lines []string
	for len(chunks) > 0 {
		if len(lines) > 0 && blank(chunks[0]) {
			chunks = chunks[1:]
		}
		var line [][]rune
		var err error
		if line, chunks, err = w.fillLine(chunks); err != nil {
			return nil, err
		}
		if len(line) > 0 && blank(line[len(line)-1]) {
			line = line[:len(line)-1]
		}
		if len(line) > 0 {
			lines = append(lines, joinRunes(line))
		}
	}
	return lines, nil
}

// fillLine is the heart of _wrap_chunks' loop: chunks taken onto a line while they fit, then
// the next one, if longer than any line, given to handleLongWord. It returns the line and the
// chunks left.
func (w wrapper) fillLine(chunks [][]rune) ([][]rune, [][]rune, error) {
	var line [][]rune
	length := 0
	for len(chunks) > 0 && float64(length+len(chunks[0])) <= w.width.float() {
		line = append(line, chunks[0])
		length += len(chunks[0])
		chunks = chunks[1:]
	}
	if len(chunks) > 0 && float64(len(chunks[0])) > w.width.float() {
		return w.handleLongWord(chunks, line, length)
	}
	return line, chunks, nil
}

// errSliceIndex is Python's error for a float width where textwrap cuts a word by it.
var errSliceIndex = errors.New("TypeError: slice indices must be integers or None or have an __index__ method")

// handleLongWord is TextWrapper._handle_long_word for the first of chunks, which is longer than
// any line: with break_long_words, as much of it as is left on the line (at least one
// character) goes onto the line, cut after its last hyphen that fits when break_on_hyphens
// and there is something but hyphens before that one; without, it goes whole onto a line of
// its own. It returns the line and the chunks left (chunks' first is cut in place).
func (w wrapper) handleLongWord(chunks, line [][]rune, length int) ([][]rune, [][]rune, error) {
	if !w.breakLongWords {
		if len(line) == 0 {
			return append(line, chunks[0]), chunks[1:], nil
		}
		return line, chunks, nil
	}
	space := 1
	if w.width.float() >= 1 {
		if w.width.isFloat {
			return nil, nil, errSliceIndex
		}
		space = w.width.i - length
	}
	chunk := chunks[0]
	end := space
	if w.hyphenLongWords && len(chunk) > space {
		if h := lastHyphen(chunk[:space]); h > 0 && !onlyHyphens(chunk[:h]) {
			end = h + 1
		}
	}
	chunks[0] = chunk[end:]
	return append(line, chunk[:end]), chunks, nil
}

// lastHyphen is str.rfind("-") on a word's characters.
func lastHyphen(word []rune) int {
	for i := len(word) - 1; i >= 0; i-- {
		if word[i] == '-' {
			return i
		}
	}
	return -1
}

// onlyHyphens reports whether every character of word is a hyphen.
func onlyHyphens(word []rune) bool {
	for _, r := range word {
		if r != '-' {
			return false
		}
	}
	return true
}

// blank is chunk.strip() == "": nothing but Python's whitespace (str.isspace), which, unlike
// the whitespace textwrap splits at, includes the Unicode spaces.
func blank(chunk []rune) bool {
	for _, r := range chunk {
		if !pystr.IsSpace(r) {
			return false
		}
	}
	return true
}

// joinRunes is "".join(chunks).
func joinRunes(chunks [][]rune) string {
	var b strings.Builder
	for _, c := range chunks {
		b.WriteString(string(c))
	}
	return b.String()
}

// wrapSpace is textwrap's whitespace: the ASCII whitespace only ("\t\n\v\f\r "), so that a
// no-break space stays inside its word.
func wrapSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ':
		return true
	}
	return false
}

// spacedChunks is TextWrapper.wordsep_simple_re.split(text) without its empty strings: runs of
// whitespace and runs of anything else.
func spacedChunks(text []rune) [][]rune {
	var chunks [][]rune
	for i := 0; i < len(text); {
		j := i + 1
		for j < len(text) && wrapSpace(text[j]) == wrapSpace(text[i]) {
			j++
		}
		chunks = append(chunks, text[i:j])
		i = j
	}
	return chunks
}

// hyphenatedChunks is TextWrapper.wordsep_re.split(text) without its empty strings: runs of
// whitespace, em-dashes (two or more hyphens between a word and a word character), and words,
// a compound word cut after each of its hyphens that has two letters, or a letter, a hyphen
// and a letter, before it and a letter, perhaps a hyphen, and a letter after it
// ("goof-ball" is "goof-", "ball"; "x-y-z" stays whole). Letters are Python's [^\d\W].
func hyphenatedChunks(text []rune) [][]rune {
	var chunks [][]rune
	for i := 0; i < len(text); {
		n := chunkLen(text, i)
		chunks = append(chunks, text[i:i+n])
		i += n
	}
	return chunks
}

// chunkLen is the length of wordsep_re's match at text[i]: the whitespace alternative, then
// the em-dash one, then the shortest run of non-whitespace that ends at a compound word's
// hyphen (included), before whitespace or the end, or before an em-dash.
func chunkLen(text []rune, i int) int {
	if wrapSpace(text[i]) {
		j := i + 1
		for j < len(text) && wrapSpace(text[j]) {
			j++
		}
		return j - i
	}
	if emDash(text, i) {
		return hyphensAt(text, i)
	}
	for j := i + 1; ; j++ {
		switch {
		case j < len(text) && text[j] == '-' && compoundHyphen(text, j):
			return j + 1 - i
		case j == len(text) || wrapSpace(text[j]):
			return j - i
		case emDash(text, j):
			return j - i
		}
	}
}

// emDash is (?<=[\w!"'&.,?])-{2,}(?=\w) at text[i]: two or more hyphens after a word
// character or punctuation and before a word character.
func emDash(text []rune, i int) bool {
	if i == 0 || !wordPunct(text[i-1]) {
		return false
	}
	n := hyphensAt(text, i)
	return n >= 2 && i+n < len(text) && pyWord(text[i+n])
}

// hyphensAt is how many hyphens start at text[i].
func hyphensAt(text []rune, i int) int {
	n := 0
	for i+n < len(text) && text[i+n] == '-' {
		n++
	}
	return n
}

// compoundHyphen is wordsep_re's hyphenated word at the hyphen text[j]: (?<=L{2}-) or
// (?<=L-L-), then (?=L-?L), L a letter. The look-behind may reach before the chunk's start.
func compoundHyphen(text []rune, j int) bool {
	at := func(k int) rune {
		if k < 0 || k >= len(text) {
			return 0
		}
		return text[k]
	}
	before := letter(at(j-2)) && letter(at(j-1)) ||
		letter(at(j-3)) && at(j-2) == '-' && letter(at(j-1))
	after := letter(at(j+1)) && (letter(at(j+2)) || at(j+2) == '-' && letter(at(j+3)))
	return before && after
}

// pyWord is Python's \w on text: letters, numbers and the underscore, of any script.
func pyWord(r rune) bool { return r == '_' || unicode.IsLetter(r) || pystr.IsNumeric(r) }

// letter is textwrap's letter, [^\d\W]: a word character that is no decimal digit (the
// underscore is one).
func letter(r rune) bool { return pyWord(r) && !unicode.IsDigit(r) }

// wordPunct is textwrap's word_punct, [\w!"'&.,?].
func wordPunct(r rune) bool { return pyWord(r) || strings.ContainsRune(`!"'&.,?`, r) }
