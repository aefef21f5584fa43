package numwords

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
	"testing"
)

// cardinals are num2words 0.5.10's answers (en, en_IN, fr); "!" is its OverflowError.
var cardinals = []struct{ n, en, enIN, fr string }{
	{"0", "zero", "zero", "zéro"},
	{"1", "one", "one", "un"},
	{"7", "seven", "seven", "sept"},
	{"10", "ten", "ten", "dix"},
	{"11", "eleven", "eleven", "onze"},
	{"15", "fifteen", "fifteen", "quinze"},
	{"20", "twenty", "twenty", "vingt"},
	{"21", "twenty-one", "twenty-one", "vingt et un"},
	{"30", "thirty", "thirty", "trente"},
	{"41", "forty-one", "forty-one", "quarante et un"},
	{"70", "seventy", "seventy", "soixante-dix"},
	{"71", "seventy-one", "seventy-one", "soixante et onze"},
	{"77", "seventy-seven", "seventy-seven", "soixante-dix-sept"},
	{"80", "eighty", "eighty", "quatre-vingts"},
	{"81", "eighty-one", "eighty-one", "quatre-vingt-un"},
	{"88", "eighty-eight", "eighty-eight", "quatre-vingt-huit"},
	{"90", "ninety", "ninety", "quatre-vingt-dix"},
	{"91", "ninety-one", "ninety-one", "quatre-vingt-onze"},
	{"99", "ninety-nine", "ninety-nine", "quatre-vingt-dix-neuf"},
	{"100", "one hundred", "one hundred", "cent"},
	{"101", "one hundred and one", "one hundred and one", "cent un"},
	{"110", "one hundred and ten", "one hundred and ten", "cent dix"},
	{"111", "one hundred and eleven", "one hundred and eleven", "cent onze"},
	{"180", "one hundred and eighty", "one hundred and eighty", "cent quatre-vingts"},
	{"181", "one hundred and eighty-one", "one hundred and eighty-one", "cent quatre-vingt-un"},
	{"199", "one hundred and ninety-nine", "one hundred and ninety-nine", "cent quatre-vingt-dix-neuf"},
	{"200", "two hundred", "two hundred", "deux cents"},
	{"201", "two hundred and one", "two hundred and one", "deux cent un"},
	{"280", "two hundred and eighty", "two hundred and eighty", "deux cent quatre-vingts"},
	{"300", "three hundred", "three hundred", "trois cents"},
	{"999", "nine hundred and ninety-nine", "nine hundred and ninety-nine", "neuf cent quatre-vingt-dix-neuf"},
	{"1000", "one thousand", "one thousand", "mille"},
	{"1001", "one thousand and one", "one thousand and one", "mille un"},
	{"1080", "one thousand and eighty", "one thousand and eighty", "mille quatre-vingts"},
	{"1100", "one thousand, one hundred", "one thousand, one hundred", "mille cent"},
	{"1999", "one thousand, nine hundred and ninety-nine", "one thousand, nine hundred and ninety-nine", "mille neuf cent quatre-vingt-dix-neuf"},
	{"2000", "two thousand", "two thousand", "deux mille"},
	{"2001", "two thousand and one", "two thousand and one", "deux mille un"},
	{"10000", "ten thousand", "ten thousand", "dix mille"},
	{"21000", "twenty-one thousand", "twenty-one thousand", "vingt et un mille"},
	{"80000", "eighty thousand", "eighty thousand", "quatre-vingt mille"},
	{"99999", "ninety-nine thousand, nine hundred and ninety-nine", "ninety-nine thousand, nine hundred and ninety-nine", "quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf"},
	{"100000", "one hundred thousand", "one lakh", "cent mille"},
	{"100001", "one hundred thousand and one", "one lakh and one", "cent mille un"},
	{"101000", "one hundred and one thousand", "one lakh, one thousand", "cent un mille"},
	{"180000", "one hundred and eighty thousand", "one lakh, eighty thousand", "cent quatre-vingt mille"},
	{"200000", "two hundred thousand", "two lakh", "deux cent mille"},
	{"200080", "two hundred thousand and eighty", "two lakh and eighty", "deux cent mille quatre-vingts"},
	{"1000000", "one million", "ten lakh", "un million"},
	{"1000001", "one million and one", "ten lakh and one", "un million un"},
	{"1001000", "one million, one thousand", "ten lakh, one thousand", "un million mille"},
	{"1100000", "one million, one hundred thousand", "eleven lakh", "un million cent mille"},
	{"2000000", "two million", "twenty lakh", "deux millions"},
	{"2000001", "two million and one", "twenty lakh and one", "deux millions un"},
	{"3200000", "three million, two hundred thousand", "thirty-two lakh", "trois millions deux cent mille"},
	{"10000000", "ten million", "one crore", "dix millions"},
	{"12345678", "twelve million, three hundred and forty-five thousand, six hundred and seventy-eight", "one crore, twenty-three lakh, forty-five thousand, six hundred and seventy-eight", "douze millions trois cent quarante-cinq mille six cent soixante-dix-huit"},
	{"99999999", "ninety-nine million, nine hundred and ninety-nine thousand, nine hundred and ninety-nine", "nine crore, ninety-nine lakh, ninety-nine thousand, nine hundred and ninety-nine", "quatre-vingt-dix-neuf millions neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf"},
	{"100000000", "one hundred million", "ten crore", "cent millions"},
	{"123456789", "one hundred and twenty-three million, four hundred and fifty-six thousand, seven hundred and eighty-nine", "twelve crore, thirty-four lakh, fifty-six thousand, seven hundred and eighty-nine", "cent vingt-trois millions quatre cent cinquante-six mille sept cent quatre-vingt-neuf"},
	{"1000000000", "one billion", "one hundred crore", "un milliard"},
	{"2000000000", "two billion", "two hundred crore", "deux milliards"},
	{"1000000000000", "one trillion", "!", "un billion"},
	{"1000000000000000", "one quadrillion", "!", "un billiard"},
	{"2000000000000000000", "two quintillion", "!", "deux trillions"},
	{"1000000000000000000001", "one sextillion and one", "!", "un trilliard un"},
	{"-1", "minus one", "minus one", "moins un"},
	{"-21", "minus twenty-one", "minus twenty-one", "moins vingt et un"},
	{"-80", "minus eighty", "minus eighty", "moins quatre-vingts"},
	{"-1000000", "minus one million", "minus ten lakh", "moins un million"},
	{"9223372036854775807", "nine quintillion, two hundred and twenty-three quadrillion, three hundred and seventy-two trillion, thirty-six billion, eight hundred and fifty-four million, seven hundred and seventy-five thousand, eight hundred and seven", "!", "neuf trillions deux cent vingt-trois billiards trois cent soixante-douze billions trente-six milliards huit cent cinquante-quatre millions sept cent soixante-quinze mille huit cent sept"},
}

func TestCardinalsAreNum2wordss(t *testing.T) {
	for _, c := range cardinals {
		n, _ := new(big.Int).SetString(c.n, 10)
		for lang, want := range map[string]string{"en": c.en, "en_IN": c.enIN, "fr": c.fr} {
			got, err := Cardinal(n, lang)
			if errors.Is(err, ErrTooBig) {
				got = "!"
			}
			if got != want {
				t.Errorf("Cardinal(%s, %s) = %q, %v; want %q", c.n, lang, got, err, want)
			}
		}
	}
}

// cardinalsIn are num2words' answers in the other languages it is asked for; "1e603" is
// 10⁶⁰³, "!" its OverflowError, "!TypeError" the TypeError past Spanish's largest name and
// "!NotImplementedError" the NotImplementedError past Italian's.
var cardinalsIn = map[string][]struct{ n, want string }{
	"de": {
		{"0", "null"},
		{"1", "eins"},
		{"2", "zwei"},
		{"7", "sieben"},
		{"11", "elf"},
		{"16", "sechzehn"},
		{"17", "siebzehn"},
		{"20", "zwanzig"},
		{"21", "einundzwanzig"},
		{"30", "dreißig"},
		{"31", "einunddreißig"},
		{"77", "siebenundsiebzig"},
		{"99", "neunundneunzig"},
		{"100", "einhundert"},
		{"101", "einhunderteins"},
		{"121", "einhunderteinundzwanzig"},
		{"200", "zweihundert"},
		{"201", "zweihunderteins"},
		{"999", "neunhundertneunundneunzig"},
		{"1000", "eintausend"},
		{"1001", "eintausendeins"},
		{"1100", "eintausendeinhundert"},
		{"2000", "zweitausend"},
		{"21000", "einundzwanzigtausend"},
		{"100000", "einhunderttausend"},
		{"101000", "einhunderteinstausend"},
		{"999999", "neunhundertneunundneunzigtausendneunhundertneunundneunzig"},
		{"1000000", "eine Million"},
		{"1000001", "eine Million eins"},
		{"1001000", "eine Million eintausend"},
		{"1100000", "eine Million einhunderttausend"},
		{"2000000", "zwei Millionen"},
		{"2000001", "zwei Millionen eins"},
		{"21000000", "einundzwanzig Millionen"},
		{"1000000000", "eine Milliarde"},
		{"1001000000", "eine Milliarde eine Million"},
		{"2000000000", "zwei Milliarden"},
		{"1000000000000", "eine Billion"},
		{"1000000000000000000", "eine Trillion"},
		{"1e54", "eine Nonillion"},
		{"1e57", "eine Nonilliarde"},
		{"1e60", "eine dezillion"},
		{"2e60", "zwei dezillionen"},
		{"1e603", "eine zentilliarde"},
		{"9223372036854775807", "neun Trillionen zweihundertdreiundzwanzig Billiarden dreihundertzweiundsiebzig Billionen sechsunddreißig Milliarden achthundertvierundfünfzig Millionen siebenhundertfünfundsiebzigtausendachthundertsieben"},
		{"-1", "minus eins"},
		{"-21", "minus einundzwanzig"},
		{"-1000000", "minus eine Million"},
		{"1e606", "!"},
	},
	"nl": {
		{"0", "nul"},
		{"1", "één"},
		{"2", "twee"},
		{"3", "drie"},
		{"7", "zeven"},
		{"11", "elf"},
		{"20", "twintig"},
		{"21", "eenentwintig"},
		{"22", "tweeëntwintig"},
		{"23", "drieëntwintig"},
		{"30", "dertig"},
		{"31", "eenendertig"},
		{"32", "tweeëndertig"},
		{"99", "negenennegentig"},
		{"100", "honderd"},
		{"101", "honderdéén"},
		{"121", "honderdeenentwintig"},
		{"200", "tweehonderd"},
		{"201", "tweehonderdéén"},
		{"999", "negenhonderdnegenennegentig"},
		{"1000", "duizend"},
		{"1001", "duizendéén"},
		{"1100", "duizendhonderd"},
		{"2000", "tweeduizend"},
		{"21000", "eenentwintigduizend"},
		{"101000", "honderdéénduizend"},
		{"999999", "negenhonderdnegenennegentigduizendnegenhonderdnegenennegentig"},
		{"1000000", "een miljoen"},
		{"1000001", "een miljoen één"},
		{"1001000", "een miljoen duizend"},
		{"2000000", "twee miljoen"},
		{"2000001", "twee miljoen één"},
		{"1000000000", "een miljard"},
		{"1001000000", "een miljard een miljoen"},
		{"1000000000000", "een biljoen"},
		{"1e54", "een noniljoen"},
		{"1e60", "een deziljoen"},
		{"1e600", "een zendiljoen"},
		{"1e603", "een zendiljard"},
		{"9223372036854775807", "negen triljoen tweehonderddrieëntwintig biljard driehonderdtweeënzeventig biljoen zesendertig miljard achthonderdvierenvijftig miljoen zevenhonderdvijfenzeventigduizendachthonderdzeven"},
		{"-1", "min één"},
		{"-21", "min eenentwintig"},
		{"-1000000", "min een miljoen"},
		{"1e606", "!"},
	},
	"es": {
		{"0", "cero"},
		{"1", "uno"},
		{"2", "dos"},
		{"15", "quince"},
		{"16", "dieciseis"},
		{"20", "veinte"},
		{"21", "veintiuno"},
		{"22", "veintidós"},
		{"23", "veintitrés"},
		{"26", "veintiséis"},
		{"29", "veintinueve"},
		{"30", "treinta"},
		{"31", "treinta y uno"},
		{"99", "noventa y nueve"},
		{"100", "cien"},
		{"101", "ciento uno"},
		{"110", "ciento diez"},
		{"121", "ciento veintiuno"},
		{"199", "ciento noventa y nueve"},
		{"200", "doscientos"},
		{"201", "doscientos uno"},
		{"500", "quinientos"},
		{"555", "quinientos cincuenta y cinco"},
		{"700", "setecientos"},
		{"999", "novecientos noventa y nueve"},
		{"1000", "mil"},
		{"1001", "mil uno"},
		{"1100", "mil cien"},
		{"1101", "mil ciento uno"},
		{"2000", "dos mil"},
		{"21000", "veintiuno mil"},
		{"100000", "cien mil"},
		{"101000", "ciento uno mil"},
		{"999999", "novecientos noventa y nueve mil novecientos noventa y nueve"},
		{"1000000", "un millón"},
		{"1000001", "un millón uno"},
		{"1001000", "un millón mil"},
		{"2000000", "dos millones"},
		{"2000001", "dos millones uno"},
		{"21000000", "veintiuno millones"},
		{"1000000000", "mil millones"},
		{"1001000000", "mil uno millones"},
		{"2000000000", "dos mil millones"},
		{"1000000000000", "un billón"},
		{"2000000000000", "dos billones"},
		{"1000000000000000000", "un trillón"},
		{"1e24", "un cuatrillón"},
		{"999999999999999999999999999", "novecientos noventa y nueve cuatrillones novecientos noventa y nueve mil novecientos noventa y nueve trillones novecientos noventa y nueve mil novecientos noventa y nueve billones novecientos noventa y nueve mil novecientos noventa y nueve millones novecientos noventa y nueve mil novecientos noventa y nueve"},
		{"9223372036854775807", "nueve trillones doscientos veintitrés mil trescientos setenta y dos billones treinta y seis mil ochocientos cincuenta y cuatro millones setecientos setenta y cinco mil ochocientos siete"},
		{"-1", "menos uno"},
		{"-21", "menos veintiuno"},
		{"-1000000", "menos un millón"},
		{"1e27", "!TypeError"},
	},
	"it": {
		{"0", "zero"},
		{"1", "uno"},
		{"3", "tre"},
		{"8", "otto"},
		{"11", "undici"},
		{"18", "diciotto"},
		{"20", "venti"},
		{"21", "ventiuno"},
		{"23", "ventitré"},
		{"28", "ventotto"},
		{"31", "trentuno"},
		{"33", "trentatré"},
		{"38", "trentotto"},
		{"80", "ottanta"},
		{"81", "ottantuno"},
		{"88", "ottantotto"},
		{"99", "novantanove"},
		{"100", "cento"},
		{"101", "centouno"},
		{"103", "centotré"},
		{"108", "centotto"},
		{"118", "centodicotto"},
		{"123", "centoventitre"},
		{"180", "centottanta"},
		{"200", "duecento"},
		{"203", "duecentotré"},
		{"218", "duecentodicotto"},
		{"288", "duecentottantotto"},
		{"999", "novecentonovantanove"},
		{"1000", "mille"},
		{"1001", "milleuno"},
		{"1003", "milletré"},
		{"1008", "milleotto"},
		{"1023", "milleventitre"},
		{"2000", "duemila"},
		{"3003", "tremilatré"},
		{"3023", "tremilaventitre"},
		{"21000", "ventiunomila"},
		{"23000", "ventitremila"},
		{"23003", "ventitremilatré"},
		{"101000", "centounomila"},
		{"108000", "centottomila"},
		{"123000", "centoventitremila"},
		{"123023", "centoventitremilaventitre"},
		{"999999", "novecentonovantanovemilanovecentonovantanove"},
		{"1000000", "un milione"},
		{"1000001", "un milione e uno"},
		{"1000003", "un milione e tre"},
		{"1000023", "un milione e ventitre"},
		{"1001000", "un milione e mille"},
		{"1180000", "un milione e centottantamila"},
		{"2000000", "due milioni"},
		{"3200000", "tre milioni e duecentomila"},
		{"21000000", "ventiuno milioni"},
		{"23000000", "ventitre milioni"},
		{"123000000", "centoventitré milioni"},
		{"1000000000", "un miliardo"},
		{"1001000000", "un miliardo e un milione"},
		{"1001001001", "un miliardo, un milione e milleuno"},
		{"1023000000", "un miliardo e ventitré milioni"},
		{"2000000000", "due miliardi"},
		{"1000000000000", "un bilione"},
		{"1000001000000", "un bilione e un milione"},
		{"1000001001000", "un bilione, un milione e mille"},
		{"1e15", "un biliardo"},
		{"1e18", "un trilione"},
		{"1e60", "un decilione"},
		{"1e63", "un deciliardo"},
		{"99999999999999999999999999999999999999999999999999999999999999999", "novantanove deciliardi, novecentonovantanove decilioni, novecentonovantanove noviliardi, novecentonovantanove novilioni, novecentonovantanove ottiliardi, novecentonovantanove ottilioni, novecentonovantanove settiliardi, novecentonovantanove settilioni, novecentonovantanove sestiliardi, novecentonovantanove sestilioni, novecentonovantanove quintiliardi, novecentonovantanove quintilioni, novecentonovantanove quadriliardi, novecentonovantanove quadrilioni, novecentonovantanove triliardi, novecentonovantanove trilioni, novecentonovantanove biliardi, novecentonovantanove bilioni, novecentonovantanove miliardi, novecentonovantanove milioni e novecentonovantanovemilanovecentonovantanove"},
		{"9223372036854775807", "nove trilioni, duecentoventitre biliardi, trecentosettantadue bilioni, trentasei miliardi, ottocentocinquantaquattro milioni e settecentosettantacinquemilaottocentosette"},
		{"-1", "meno uno"},
		{"-3", "meno tre"},
		{"-23", "meno ventitre"},
		{"-123", "meno centoventitré"},
		{"-1000000", "meno un milione"},
		{"1e65", "!NotImplementedError"},
		{"-1e65", "!NotImplementedError"},
	},
}

// number reads "123", "-21" or "2e60".
func number(s string) *big.Int {
	digits, exp, _ := strings.Cut(s, "e")
	n, _ := new(big.Int).SetString(digits, 10)
	if exp != "" {
		e, _ := strconv.Atoi(exp)
		n.Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e)), nil))
	}
	return n
}

func TestCardinalsInOtherLanguagesAreNum2wordss(t *testing.T) {
	for lang, cases := range cardinalsIn {
		for _, c := range cases {
			got, err := Cardinal(number(c.n), lang)
			switch {
			case errors.Is(err, ErrTooBig):
				got = "!"
			case errors.Is(err, ErrTooBigUnformatted):
				got = "!TypeError"
			case errors.Is(err, ErrTooBigNotImplemented):
				got = "!NotImplementedError"
			}
			if got != c.want {
				t.Errorf("Cardinal(%s, %s) = %q, %v; want %q", c.n, lang, got, err, c.want)
			}
		}
	}
}

func TestInWordsPicksNum2wordssLanguageElseEnglishAndSpacesHyphens(t *testing.T) {
	for _, c := range []struct {
		n         string
		language  string
		inMillion bool
		want      string
	}{
		{"21", "en", true, "twenty one"},
		{"21", "fr-FR", true, "vingt et un"},
		{"99", "fr", true, "quatre vingt dix neuf"},
		{"21", "de", true, "einundzwanzig"},
		{"21", "de-CH", true, "einundzwanzig"},
		{"22", "nl-BE", true, "tweeëntwintig"},
		{"21", "es-MX", true, "veintiuno"},
		{"123", "it-IT", true, "centoventitre"},
		{"23", "it-CH", true, "ventitré"},
		{"1e65", "it", true, "one hundred vigintillion"},
		{"1234567", "it", false, "twelve lakh, thirty four thousand, five hundred and sixty seven"},
		{"21", "zh", true, "twenty one"},
		{"21", "DE", true, "twenty one"},
		{"21", "d", true, "twenty one"},
		{"1234567", "en_IN", true, "twelve lakh, thirty four thousand, five hundred and sixty seven"},
		{"1234567", "en-IN", true, "one million, two hundred and thirty four thousand, five hundred and sixty seven"},
		{"1234567", "fr", false, "twelve lakh, thirty four thousand, five hundred and sixty seven"},
		{"1234567", "de", false, "twelve lakh, thirty four thousand, five hundred and sixty seven"},
		{"10000000000", "en", false, "ten billion"},
		{"-5", "", true, "minus five"},
	} {
		if got, err := InWords(number(c.n), c.language, c.inMillion); got != c.want || err != nil {
			t.Errorf("InWords(%s, %q, %v) = %q, %v; want %q", c.n, c.language, c.inMillion, got, err, c.want)
		}
	}
	if _, err := InWords(number("1e306"), "en", false); !errors.Is(err, ErrTooBig) {
		t.Errorf("10**306 in Indian English: %v; want ErrTooBig, English too cannot", err)
	}
	for _, c := range []struct{ n, language string }{{"1e27", "es-AR"}, {"1e606", "fr"}} {
		if _, err := InWords(number(c.n), c.language, true); !errors.Is(err, ErrTooBigUnformatted) {
			t.Errorf("%s in %s: %v; want the TypeError the ERP does not catch", c.n, c.language, err)
		}
	}
}
