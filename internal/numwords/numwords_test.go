package numwords

import (
	"errors"
	"math/big"
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

func TestInWordsFallsBackToEnglishAndSpacesHyphens(t *testing.T) {
	for _, c := range []struct {
		n         string
		language  string
		inMillion bool
		want      string
	}{
		{"21", "en", true, "twenty one"},
		{"21", "fr-FR", true, "vingt et un"},
		{"99", "fr", true, "quatre vingt dix neuf"},
		{"21", "de", true, "twenty one"},
		{"1234567", "fr", false, "twelve lakh, thirty four thousand, five hundred and sixty seven"},
		{"10000000000", "en", false, "ten billion"},
		{"-5", "", true, "minus five"},
	} {
		n, _ := new(big.Int).SetString(c.n, 10)
		if got, err := InWords(n, c.language, c.inMillion); got != c.want || err != nil {
			t.Errorf("InWords(%s, %q, %v) = %q, %v; want %q", c.n, c.language, c.inMillion, got, err, c.want)
		}
	}
	if _, err := InWords(new(big.Int).Exp(big.NewInt(10), big.NewInt(306), nil), "en", false); !errors.Is(err, ErrTooBig) {
		t.Errorf("10**306 in Indian English: %v; want ErrTooBig, English too cannot", err)
	}
}
