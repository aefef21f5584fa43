package service

import "testing"

func TestLabelsForReadsThePrimaryLanguage(t *testing.T) {
	cases := []struct {
		language string
		want     string // GoToDocument
	}{
		{"", "Go to the document"},
		{"en", "Go to the document"},
		{"en-GB", "Go to the document"},
		{"fr", "Voir le document"},
		{"fr-FR", "Voir le document"},
		{"fr_CA", "Voir le document"},
		{" FR ", "Voir le document"},
		{"de", "Zum Dokument"},
		{"es", "Ir al documento"},
		{"it", "Vai al documento"},
		{"pt-BR", "Ir para o documento"},
		{"nl", "Naar het document"},
		{"tlh", "Go to the document"}, // unknown: English
		{"frr", "Go to the document"}, // North Frisian is not French
	}
	for _, c := range cases {
		if got := LabelsFor(c.language).GoToDocument; got != c.want {
			t.Errorf("LabelsFor(%q).GoToDocument = %q, want %q", c.language, got, c.want)
		}
	}
}

func TestLabelsAreCompleteInEveryLanguage(t *testing.T) {
	en := LabelsFor("en")
	for _, lang := range []string{"en", "fr", "de", "es", "it", "pt", "nl"} {
		l := LabelsFor(lang)
		if l.GoToDocument == "" || l.SeeDocumentAt == "" || l.DocumentLink == "" || l.Notifications == "" {
			t.Errorf("%s: a label is empty: %+v", lang, l)
		}
		if lang != "en" && (l.GoToDocument == en.GoToDocument || l.SeeDocumentAt == en.SeeDocumentAt || l.DocumentLink == en.DocumentLink) {
			t.Errorf("%s: a label is still English: %+v", lang, l)
		}
	}
}
