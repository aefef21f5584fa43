// Package numwords writes whole numbers in words as the ERP's in_words and money_in_words do
// (frappe/utils/data.py), through the num2words library's cardinals: English ("one million,
// two hundred and thirty-four thousand"), Indian English (lakh and crore), French ("cent
// vingt-trois", "quatre-vingt-dix-neuf", "deux millions"), German ("einundzwanzig", "eine
// Million"), Dutch ("tweeëntwintig", "een miljoen"), Spanish ("ciento uno", "dos
// millones"), Italian ("ventitré", "un milione e uno"), Portuguese ("vinte e um", "mil
// milhões") and Brazilian Portuguese ("dezesseis", "um bilhão"). Other languages are
// written in English here, where num2words knows some of them (Polish, Russian...).
//
// A number is the words of its largest named part (a "card": twenty, hundred, thousand,
// million, lakh...) times its count, plus the words of the rest; each language joins two
// parts its own way (merge), which is where "and", the hyphens, "et", "und", the plural s of
// "quatre-vingts" and "deux cents" and the plural of "Millionen" come from.
package numwords

import (
	"cmp"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"walnotify/internal/currency"
	"walnotify/internal/numformat"
	"walnotify/internal/pystr"
)

// ErrTooBig is num2words' OverflowError: a number beyond the largest its language names
// (10³⁰⁶ in English, 10¹⁰ in Indian English); the ERP's in_words writes it in English.
var ErrTooBig = errors.New("OverflowError: number too large to write in words")

// ErrTooBigUnformatted is the TypeError num2words raises for a number beyond the largest
// French or Spanish names, its OverflowError's message failing to format; the ERP's in_words
// does not catch it.
var ErrTooBigUnformatted = errors.New("TypeError: not all arguments converted during string formatting")

// ErrTooBigNotImplemented is the NotImplementedError num2words raises for a number beyond the
// largest Italian names (10⁶⁵ and up); the ERP's in_words writes it in English, as for
// ErrTooBig.
var ErrTooBigNotImplemented = errors.New("NotImplementedError: The given number is too large.")

// phrase is words with the number they say.
type phrase struct {
	text string
	n    *big.Int
}

// lang is one language's cards, largest first, and how it joins two phrases.
type lang struct {
	cards  []phrase // the named numbers, largest first, down to zero
	one    string   // the word for 1
	minus  string   // the words before a negative number
	merge  func(l, r phrase) phrase
	tooBig error    // the error for a number at or beyond limit
	limit  *big.Int // the least number too big; nil is 1000 times the largest card
	// touch, when set, rewrites the words of each number written along the way (the
	// count, the rest, the whole, the negative): Italian's accent on a last "tre".
	touch func(string) string
	// finish, when set, rewrites the words of the whole number once: Portuguese's "e".
	finish func(string) string
}

// cardinal is num2words(n, lang=l): l.tooBig for n at or beyond the limit.
func (l *lang) cardinal(n *big.Int) (string, error) {
	abs := new(big.Int).Abs(n)
	limit := l.limit
	if limit == nil {
		limit = new(big.Int).Mul(l.cards[0].n, big.NewInt(1000))
	}
	if abs.Cmp(limit) >= 0 {
		return "", l.tooBig
	}
	words := l.words(abs).text
	if n.Sign() < 0 {
		words = l.touched(l.minus + words)
	}
	if l.finish != nil {
		words = l.finish(words)
	}
	return words, nil
}

func (l *lang) touched(words string) string {
	if l.touch == nil {
		return words
	}
	return l.touch(words)
}

// words are the words of n ≥ 0: the largest card c not above n, times n / c (the word for one
// when that is 1), then plus the words of n % c.
func (l *lang) words(n *big.Int) phrase {
	for _, c := range l.cards {
		if c.n.Cmp(n) > 0 {
			continue
		}
		if c.n.Sign() == 0 {
			return c
		}
		count, rest := new(big.Int).QuoRem(n, c.n, new(big.Int))
		left := phrase{l.one, big.NewInt(1)}
		if count.Cmp(left.n) != 0 {
			left = l.words(count)
		}
		p := l.merge(left, c)
		if rest.Sign() != 0 {
			p = l.merge(p, l.words(rest))
		}
		p.text = l.touched(p.text)
		return p
	}
	panic("numwords: no card for " + n.String())
}

// below reports x < n.
func below(x *big.Int, n int64) bool { return x.Cmp(big.NewInt(n)) < 0 }

func is(x *big.Int, n int64) bool { return x.Cmp(big.NewInt(n)) == 0 }

func sum(l, r phrase, sep string) phrase {
	return phrase{l.text + sep + r.text, new(big.Int).Add(l.n, r.n)}
}

func product(l, r phrase, sep string) phrase {
	return phrase{l.text + sep + r.text, new(big.Int).Mul(l.n, r.n)}
}

// mergeEnglish joins as English: "twenty-one", "one hundred and one", "two thousand", "one
// million, two hundred"; one of something below a hundred is the thing itself.
func mergeEnglish(l, r phrase) phrase {
	switch {
	case is(l.n, 1) && below(r.n, 100):
		return r
	case below(l.n, 100) && l.n.Cmp(r.n) > 0:
		return sum(l, r, "-")
	case !below(l.n, 100) && below(r.n, 100):
		return sum(l, r, " and ")
	case r.n.Cmp(l.n) > 0:
		return product(l, r, " ")
	}
	return sum(l, r, ", ")
}

// mergeFrench joins as French: "vingt et un", "soixante et onze", "quatre-vingt-un", "deux
// cents" but "deux cent trois", "deux cent mille", "deux millions", "mille", "un million".
func mergeFrench(l, r phrase) phrase {
	hundred := big.NewInt(100)
	mod := func(x *big.Int, by *big.Int) *big.Int { return new(big.Int).Mod(x, by) }
	if is(l.n, 1) {
		if below(r.n, 1000000) {
			return r
		}
	} else {
		eighty := mod(new(big.Int).Sub(l.n, big.NewInt(80)), hundred).Sign() == 0
		hundreds := mod(l.n, hundred).Sign() == 0 && below(l.n, 1000)
		if (eighty || hundreds) && below(r.n, 1000000) && strings.HasSuffix(l.text, "s") {
			l.text = strings.TrimSuffix(l.text, "s")
		}
		if below(l.n, 1000) && !is(r.n, 1000) && !strings.HasSuffix(r.text, "s") && mod(r.n, hundred).Sign() == 0 {
			r.text += "s"
		}
	}
	switch {
	case r.n.Cmp(l.n) < 0 && below(l.n, 100):
		if mod(r.n, big.NewInt(10)).Cmp(big.NewInt(1)) == 0 && !is(l.n, 80) {
			return sum(l, r, " et ")
		}
		return sum(l, r, "-")
	case r.n.Cmp(l.n) > 0:
		return product(l, r, " ")
	}
	return sum(l, r, " ")
}

// mergeGerman joins as German: "einundzwanzig", "einhunderteins", "eintausend",
// "einhunderteinstausend" (num2words' own), "eine Million", "zwei Millionen eins".
func mergeGerman(l, r phrase) phrase {
	switch {
	case is(l.n, 1) && below(r.n, 100):
		return r
	case r.n.Cmp(l.n) > 0:
		switch {
		case below(r.n, 1000000):
			return product(l, r, "")
		case is(l.n, 1):
			l.text = "eine"
		case strings.HasSuffix(r.text, "e"):
			r.text += "n"
		default:
			r.text += "en"
		}
		return product(l, r, " ")
	case below(l.n, 100):
		if is(r.n, 1) {
			r.text = "ein"
		}
		return sum(r, l, "und")
	case below(l.n, 1000000):
		return sum(l, r, "")
	}
	return sum(l, r, " ")
}

// mergeDutch joins as Dutch: "eenentwintig", "tweeëntwintig", "honderdéén", "duizend",
// "tweehonderd", "een miljoen", "twee miljoen één".
func mergeDutch(l, r phrase) phrase {
	switch {
	case is(l.n, 1) && below(r.n, 1000000):
		return r
	case r.n.Cmp(l.n) > 0 && below(r.n, 1000000):
		return product(l, r, "")
	case r.n.Cmp(l.n) > 0:
		return product(l, r, " ")
	case below(l.n, 100):
		if is(r.n, 1) {
			r.text = "een"
		}
		if strings.HasSuffix(r.text, "e") {
			return sum(r, l, "ën")
		}
		return sum(r, l, "en")
	case below(l.n, 1000000):
		return sum(l, r, "")
	}
	return sum(l, r, " ")
}

// mergeSpanish joins as Spanish: "treinta y uno", "cien" but "ciento uno", "mil", "dos mil",
// "un millón", "dos millones", "mil millones", "veintiuno mil" (num2words' own).
func mergeSpanish(l, r phrase) phrase {
	switch {
	case is(l.n, 1) && below(r.n, 1000000):
		return r
	case r.n.Cmp(l.n) > 0:
		if !is(l.n, 1) && !below(r.n, 1000000) {
			r.text = strings.TrimSuffix(r.text, "ón") + "ones"
		}
		return product(l, r, " ")
	case below(l.n, 100):
		return sum(l, r, " y ")
	case is(l.n, 100):
		l.text = "ciento"
	}
	return sum(l, r, " ")
}

// mergeItalian joins as Italian: "ventitré", "ventiuno" but "trentuno", "ventotto", "centotto",
// "centouno", "centodicotto" (num2words' own), "duecento", "mille", "duemila", "un milione",
// "due milioni", "un milione e uno", "un miliardo, un milione e uno" (a comma before a rest of
// more than one large group).
func mergeItalian(l, r phrase) phrase {
	switch {
	case is(l.n, 1) && below(r.n, 1000000):
		return r
	case r.n.Cmp(l.n) > 0 && below(r.n, 1000000):
		if is(r.n, 1000) {
			r.text = "mila"
		}
		return product(l, r, "")
	case r.n.Cmp(l.n) > 0:
		if !is(l.n, 1) {
			r.text = r.text[:len(r.text)-1] + "i"
		}
		return product(l, r, " ")
	case below(l.n, 100):
		if is(r.n, 8) || is(r.n, 1) && !is(l.n, 20) {
			l.text = l.text[:len(l.text)-1]
		}
		return sum(l, r, "")
	case below(l.n, 1000):
		switch {
		case strings.HasPrefix(r.text, "o"):
			l.text = strings.TrimSuffix(l.text, "o")
		case is(r.n, 18):
			r.text = "dicotto" // num2words' own
		}
		return sum(l, r, "")
	case below(l.n, 1000000):
		return sum(l, r, "")
	}
	group := pow10((len(r.n.String()) - 1) / 3 * 3) // the rest's largest group: 10⁶, 10⁹...
	if !below(r.n, 1000000) && new(big.Int).Mod(r.n, group).Sign() != 0 {
		return sum(l, r, ", ")
	}
	return sum(l, r, " e ")
}

// accentTre accents each word ending in "tre", but "tre" itself, on its last e and takes the
// accent off any other "tré": num2words writes it so at each number along the way, so that
// "ventitré" is "centoventitre" and "centoventitré milioni", "tremilatré" "ventitremila".
func accentTre(words string) string {
	fields := strings.Fields(words)
	for i, w := range fields {
		plain := strings.ReplaceAll(w, "tré", "tre")
		if strings.HasSuffix(w, "tre") && w != "tre" {
			plain = strings.TrimSuffix(plain, "tre") + "tré"
		}
		fields[i] = plain
	}
	return strings.Join(fields, " ")
}

// mergePortuguese joins as Portuguese: "vinte e um", "cem" but "cento e um", "mil", "dois mil",
// "mil e um", "um milhão", "dois milhões", "mil milhões"; loseE then drops some of the "e".
func mergePortuguese(l, r phrase) phrase {
	switch {
	case is(l.n, 1) && below(r.n, 1000000):
		return r
	case r.n.Cmp(l.n) > 0:
		if !is(l.n, 1) && !below(r.n, 1000000) {
			r.text = strings.TrimSuffix(r.text, "ão") + "ões"
		}
		return product(l, r, " ")
	case is(l.n, 100):
		l.text = "cento"
	}
	return sum(l, r, " e ")
}

// loseE drops the "e" after "mil", "milhão", "milhões", "bilião" and "biliões" wherever it
// stands when one of them is somewhere followed by "e", a hundreds word ("cento", "duzentos"...)
// that is not the last word, and a letter e further on: num2words' own, which writes "mil
// duzentos e um" and "um milhão duzentos mil e trezentos" but "mil e duzentos", "mil e cem
// milhões" and, past the biliões, "um trilião e duzentos biliões".
func loseE(words string) string {
	for _, big := range []string{"mil", "milhão", "milhões", "bilião", "biliões"} {
		if hundredsFollow(words, big+" e ") {
			words = strings.ReplaceAll(words, big+" e", big)
		}
	}
	return words
}

// hundredsFollow reports whether at is somewhere in words followed by a word ending in
// "ento" or "entos", a space and, somewhere after, a letter e.
func hundredsFollow(words, at string) bool {
	return followedBy(words, at, func(rest string) bool {
		word, after, spaced := strings.Cut(rest, " ")
		return spaced && (strings.HasSuffix(word, "ento") || strings.HasSuffix(word, "entos")) && strings.Contains(after, "e")
	})
}

// followedBy reports whether at is somewhere in words with a rest of words after it that
// matches.
func followedBy(words, at string, matches func(rest string) bool) bool {
	for {
		i := strings.Index(words, at)
		if i < 0 {
			return false
		}
		words = words[i+len(at):]
		if matches(words) {
			return true
		}
	}
}

// mergeBrazilian joins as num2words' Brazilian Portuguese: Portuguese's joins, but "cento"
// before any count but "mil" ("cem mil", "cento milhões") and the plural of every "-ilhão";
// commaBeforeHundreds then writes some of the "e" as a comma.
func mergeBrazilian(l, r phrase) phrase {
	switch {
	case is(l.n, 1) && below(r.n, 1000000):
		return r
	case is(l.n, 100) && !is(r.n, 1000):
		l.text = "cento"
	}
	if r.n.Cmp(l.n) < 0 {
		return sum(l, r, " e ")
	}
	if !is(l.n, 1) && new(big.Int).Rem(r.n, pow10(6)).Sign() == 0 {
		r.text = strings.TrimSuffix(r.text, "ão") + "ões"
	}
	return product(l, r, " ")
}

// commaBeforeHundreds is num2words' Brazilian rewrite of "mil e cento e catorze" as "mil,
// cento e catorze": for each of "mil", "milhão", "milhões" ... "quatrilhões" in turn, when it
// is somewhere followed by "e" and a word holding "ento" (a hundreds word), its first "e"
// (which may be another one's, as "trilhões" is in "quatrilhões") becomes a comma.
func commaBeforeHundreds(words string) string {
	for _, big := range []string{"mil", "milhão", "milhões", "bilhão", "bilhões", "trilhão", "trilhões", "quatrilhão", "quatrilhões"} {
		if hundredsWordAfter(words, big+" e ") {
			words = strings.Replace(words, big+" e", big+",", 1)
		}
	}
	return words
}

// hundredsWordAfter reports whether at is somewhere in words directly followed by a run of
// word characters (Python's \w: letters, digits, _) that holds "ento".
func hundredsWordAfter(words, at string) bool {
	return followedBy(words, at, func(rest string) bool {
		end := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' })
		if end < 0 {
			end = len(rest)
		}
		return strings.Contains(rest[:end], "ento")
	})
}

// latinPrefixes are the prefixes of the large numbers' names, largest first: centillion
// (10³⁰³ in English), novemnonagintillion, ..., decillion, nonillion, ..., million.
func latinPrefixes() []string {
	units := []string{"", "un", "duo", "tre", "quattuor", "quin", "sex", "sept", "octo", "novem"}
	tens := []string{"dec", "vigint", "trigint", "quadragint", "quinquagint", "sexagint", "septuagint", "octogint", "nonagint"}
	out := []string{"cent"}
	for t := len(tens) - 1; t >= 0; t-- {
		for u := len(units) - 1; u >= 0; u-- {
			out = append(out, units[u]+tens[t])
		}
	}
	return append(out, "non", "oct", "sept", "sext", "quint", "quadr", "tr", "b", "m")
}

// longScale is the cards of the long scale's large numbers, largest first: the prefixes
// with the milliard's suffix at 10⁶⁰³, 10⁵⁹⁷... (for a hundred prefixes), the million's at
// 10⁶⁰⁰, 10⁵⁹⁴..., down to 10⁹ and 10⁶.
func longScale(prefixes []string, milliard, million string) []phrase {
	var out []phrase
	for i, p := range prefixes {
		n := 6*(len(prefixes)-i) + 3
		out = append(out, phrase{p + milliard, pow10(n)}, phrase{p + million, pow10(n - 3)})
	}
	return out
}

// germanicPrefixes are latinPrefixes spelled as num2words' German and Dutch do: oktillion,
// dezillion, oktodezillion, and cent as the hundredth.
func germanicPrefixes(cent string) []string {
	spell := strings.NewReplacer("oct", "okt", "dec", "dez", "cent", cent)
	var out []string
	for _, p := range latinPrefixes() {
		out = append(out, spell.Replace(p))
	}
	return out
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// withSmall appends the cards from the thousand down to zero.
func withSmall(cards []phrase, mid []string, midValues []int64, low []string) []phrase {
	for i, w := range mid {
		cards = append(cards, phrase{w, big.NewInt(midValues[i])})
	}
	for i, w := range low {
		cards = append(cards, phrase{w, big.NewInt(int64(len(low) - 1 - i))})
	}
	return cards
}

var englishMid = []string{"thousand", "hundred", "ninety", "eighty", "seventy", "sixty", "fifty", "forty", "thirty"}
var englishMidValues = []int64{1000, 100, 90, 80, 70, 60, 50, 40, 30}
var englishLow = []string{"twenty", "nineteen", "eighteen", "seventeen", "sixteen", "fifteen", "fourteen", "thirteen",
	"twelve", "eleven", "ten", "nine", "eight", "seven", "six", "five", "four", "three", "two", "one", "zero"}

// portugueseMid are Portuguese's cards from the thousand down to thirty, Brazil's too.
var portugueseMid = []string{"mil", "novecentos", "oitocentos", "setecentos", "seiscentos", "quinhentos", "quatrocentos", "trezentos",
	"duzentos", "cem", "noventa", "oitenta", "setenta", "sessenta", "cinquenta", "quarenta", "trinta"}
var portugueseMidValues = []int64{1000, 900, 800, 700, 600, 500, 400, 300, 200, 100, 90, 80, 70, 60, 50, 40, 30}

// languages are built once, on first use.
var languages = sync.OnceValue(func() map[string]*lang {
	prefixes := latinPrefixes()
	var en []phrase
	for i, p := range prefixes {
		en = append(en, phrase{p + "illion", pow10(303 - 3*i)})
	}
	enIN := []phrase{{"crore", pow10(7)}, {"lakh", pow10(5)}}
	de := germanicPrefixes("zent")
	for i := len(de) - 9; i < len(de); i++ { // Million to Nonilliarde are capitalised, no larger one
		de[i] = strings.ToUpper(de[i][:1]) + de[i][1:]
	}
	return map[string]*lang{
		"en":    {cards: withSmall(en, englishMid, englishMidValues, englishLow), one: "one", minus: "minus ", merge: mergeEnglish, tooBig: ErrTooBig},
		"en_IN": {cards: withSmall(enIN, englishMid, englishMidValues, englishLow), one: "one", minus: "minus ", merge: mergeEnglish, tooBig: ErrTooBig},
		"fr": {cards: withSmall(longScale(prefixes, "illiard", "illion"),
			[]string{"mille", "cent", "quatre-vingts", "soixante", "cinquante", "quarante", "trente"},
			[]int64{1000, 100, 80, 60, 50, 40, 30},
			[]string{"vingt", "dix-neuf", "dix-huit", "dix-sept", "seize", "quinze", "quatorze", "treize", "douze",
				"onze", "dix", "neuf", "huit", "sept", "six", "cinq", "quatre", "trois", "deux", "un", "zéro"}),
			one: "un", minus: "moins ", merge: mergeFrench, tooBig: ErrTooBigUnformatted},
		"de": {cards: withSmall(longScale(de, "illiarde", "illion"),
			[]string{"tausend", "hundert", "neunzig", "achtzig", "siebzig", "sechzig", "fünfzig", "vierzig", "dreißig"},
			[]int64{1000, 100, 90, 80, 70, 60, 50, 40, 30},
			[]string{"zwanzig", "neunzehn", "achtzehn", "siebzehn", "sechzehn", "fünfzehn", "vierzehn", "dreizehn", "zwölf",
				"elf", "zehn", "neun", "acht", "sieben", "sechs", "fünf", "vier", "drei", "zwei", "eins", "null"}),
			one: "ein", minus: "minus ", merge: mergeGerman, tooBig: ErrTooBig},
		"nl": {cards: withSmall(longScale(germanicPrefixes("zend"), "iljard", "iljoen"),
			[]string{"duizend", "honderd", "negentig", "tachtig", "zeventig", "zestig", "vijftig", "veertig", "dertig"},
			[]int64{1000, 100, 90, 80, 70, 60, 50, 40, 30},
			[]string{"twintig", "negentien", "achttien", "zeventien", "zestien", "vijftien", "veertien", "dertien", "twaalf",
				"elf", "tien", "negen", "acht", "zeven", "zes", "vijf", "vier", "drie", "twee", "één", "nul"}),
			one: "een", minus: "min ", merge: mergeDutch, tooBig: ErrTooBig},
		"es": {cards: withSmall([]phrase{{"cuatrillón", pow10(24)}, {"trillón", pow10(18)}, {"billón", pow10(12)}, {"millón", pow10(6)}},
			[]string{"mil", "novecientos", "ochocientos", "setecientos", "seiscientos", "quinientos", "cuatrocientos", "trescientos",
				"doscientos", "cien", "noventa", "ochenta", "setenta", "sesenta", "cincuenta", "cuarenta", "treinta"},
			[]int64{1000, 900, 800, 700, 600, 500, 400, 300, 200, 100, 90, 80, 70, 60, 50, 40, 30},
			[]string{"veintinueve", "veintiocho", "veintisiete", "veintiséis", "veinticinco", "veinticuatro", "veintitrés",
				"veintidós", "veintiuno", "veinte", "diecinueve", "dieciocho", "diecisiete", "dieciseis", "quince", "catorce",
				"trece", "doce", "once", "diez", "nueve", "ocho", "siete", "seis", "cinco", "cuatro", "tres", "dos", "uno", "cero"}),
			one: "un", minus: "menos ", merge: mergeSpanish, tooBig: ErrTooBigUnformatted},
		"it": {cards: withSmall(longScale([]string{"deci", "novi", "otti", "setti", "sesti", "quinti", "quadri", "tri", "bi", "mi"}, "liardo", "lione"),
			[]string{"mille", "cento", "novanta", "ottanta", "settanta", "sessanta", "cinquanta", "quaranta", "trenta"},
			[]int64{1000, 100, 90, 80, 70, 60, 50, 40, 30},
			[]string{"venti", "diciannove", "diciotto", "diciassette", "sedici", "quindici", "quattordici", "tredici", "dodici",
				"undici", "dieci", "nove", "otto", "sette", "sei", "cinque", "quattro", "tre", "due", "uno", "zero"}),
			one: "un", minus: "meno ", merge: mergeItalian, touch: accentTre, tooBig: ErrTooBigNotImplemented, limit: pow10(65)},
		"pt": {cards: withSmall([]phrase{{"quatrilião", pow10(24)}, {"trilião", pow10(18)}, {"bilião", pow10(12)}, {"milhão", pow10(6)}},
			portugueseMid, portugueseMidValues,
			[]string{"vinte", "dezanove", "dezoito", "dezassete", "dezasseis", "quinze", "catorze", "treze", "doze", "onze",
				"dez", "nove", "oito", "sete", "seis", "cinco", "quatro", "três", "dois", "um", "zero"}),
			one: "um", minus: "menos ", merge: mergePortuguese, finish: loseE, tooBig: ErrTooBig},
		"pt_BR": {cards: withSmall([]phrase{{"quatrilhão", pow10(15)}, {"trilhão", pow10(12)}, {"bilhão", pow10(9)}, {"milhão", pow10(6)}},
			portugueseMid, portugueseMidValues,
			[]string{"vinte", "dezenove", "dezoito", "dezessete", "dezesseis", "quinze", "catorze", "treze", "doze", "onze",
				"dez", "nove", "oito", "sete", "seis", "cinco", "quatro", "três", "dois", "um", "zero"}),
			one: "um", minus: "menos ", merge: mergeBrazilian, finish: commaBeforeHundreds, tooBig: ErrTooBig},
	}
})

// Cardinal is num2words(n, lang=language) for "en", "en_IN", "fr", "de", "nl", "es", "it",
// "pt" and "pt_BR"; any other language is English.
func Cardinal(n *big.Int, language string) (string, error) {
	l, ok := languages()[language]
	if !ok {
		l = languages()["en"]
	}
	return l.cardinal(n)
}

// InWords is the ERP's in_words(integer, in_million=True) of a whole number on a site whose
// language is language ("de", "es-MX", "pt-BR"...): its cardinal in the language num2words
// picks for it (the language itself when it has it, else its first two letters: German for
// "de-CH", European Portuguese for the ERP's "pt-BR" but Brazilian for "pt_BR", English for
// "zh"), or in Indian English (lakh and crore) when inMillion is false;
// in English when that language's OverflowError (Italian's NotImplementedError) says it
// cannot write so large a number (a French or Spanish one is the ERP's TypeError); the
// hyphens made spaces ("twenty one").
func InWords(n *big.Int, language string, inMillion bool) (string, error) {
	lang := "en"
	switch _, known := languages()[language]; {
	case !inMillion:
		lang = "en_IN"
	case known:
		lang = language
	case len(language) >= 2 && languages()[language[:2]] != nil:
		lang = language[:2]
	}
	words, err := Cardinal(n, lang)
	if (errors.Is(err, ErrTooBig) || errors.Is(err, ErrTooBigNotImplemented)) && lang != "en" {
		words, err = Cardinal(n, "en")
	}
	return strings.ReplaceAll(words, "-", " "), err
}

// Site is what in_words and money_in_words read of the site.
type Site struct {
	Language     string                     // "fr", "en-US"...: the words' language
	Currency     string                     // the default currency; "" for the ERP's, INR
	NumberFormat string                     // System Settings' number format; "" for the ERP's default
	Currencies   map[string]currency.Record // the Currency records, by name
}

// MoneyInWords is the ERP's money_in_words(number, main_currency=None,
// fraction_currency=None) once float(number) is taken, _() being translate: "" for a
// negative number; main "" is the site's currency, fraction "" the currency's fraction, else
// "Cent". The number is written with as many decimals as the currency's number format (else
// the site's) has, its whole part and its decimals in words (Indian English for the
// #,##,###.## format), each word capitalised: "USD One Hundred And Twenty Three and Forty Five
// Cent only.", "INR Zero only.", "Fifty Cent only."; an infinite or NaN number is the ERP's
// ValueError.
func (s Site) MoneyInWords(number float64, main, fraction string, translate func(string) string) (string, error) {
	if number < 0 {
		return "", nil
	}
	switch {
	case math.IsInf(number, 0):
		return "", errors.New("ValueError: invalid literal for int() with base 10: 'inf'")
	case math.IsNaN(number):
		return "", errors.New("ValueError: invalid literal for int() with base 10: 'nan'")
	}
	if main == "" {
		main = cmp.Or(s.Currency, "INR")
	}
	currency := s.Currencies[main]
	if fraction == "" {
		fraction = cmp.Or(currency.Fraction, translate("Cent"))
	}
	format := cmp.Or(currency.NumberFormat, s.NumberFormat, numformat.Default)
	whole, decimals, ok := strings.Cut(strconv.FormatFloat(number, 'f', numformat.Info(format).Precision, 64), ".")
	if !ok {
		decimals = "00"
	}
	inMillion := format != "#,##,###.##"
	words := func(digits string) (string, error) {
		n, _ := new(big.Int).SetString(digits, 10)
		w, err := InWords(n, s.Language, inMillion)
		return pystr.Title(w), err
	}
	var out string
	switch {
	case whole == "0" && (decimals == "00" || decimals == "000"):
		out = translate(main) + " " + translate("Zero")
	case whole == "0":
		w, err := words(decimals)
		if err != nil {
			return "", err
		}
		out = w + " " + fraction
	default:
		w, err := words(whole)
		if err != nil {
			return "", err
		}
		out = translate(main) + " " + w
		if strings.Trim(decimals, "0") != "" {
			if w, err = words(decimals); err != nil {
				return "", err
			}
			out += " " + translate("and") + " " + w + " " + fraction
		}
	}
	return out + " " + translate("only."), nil
}
