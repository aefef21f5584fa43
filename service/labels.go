package service

import "strings"

// Labels are the few words walnotify adds to a message itself, in the site's language
// (site.language), as the ERP translates them with _().
type Labels struct {
	GoToDocument  string // Slack button: "Go to the document"
	SeeDocumentAt string // Slack fallback, followed by a space and the URL: "See the document at"
	DocumentLink  string // link label elsewhere: "Document link"
	Notifications string // digest header, after the count: "3 notifications"
}

// LabelsFor returns the labels for a language tag such as "fr", "fr-FR" or "pt_BR" (only the
// primary language counts). English is the default, for "" and for languages it does not know:
// en, fr, de, es, it, pt, nl.
func LabelsFor(language string) Labels {
	primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(language)), "-")
	primary, _, _ = strings.Cut(primary, "_")
	switch primary {
	case "fr":
		return Labels{"Voir le document", "Voir le document sur", "Lien vers le document", "notifications"}
	case "de":
		return Labels{"Zum Dokument", "Dokument ansehen unter", "Link zum Dokument", "Benachrichtigungen"}
	case "es":
		return Labels{"Ir al documento", "Ver el documento en", "Enlace al documento", "notificaciones"}
	case "it":
		return Labels{"Vai al documento", "Vedi il documento su", "Link al documento", "notifiche"}
	case "pt":
		return Labels{"Ir para o documento", "Ver o documento em", "Link do documento", "notificações"}
	case "nl":
		return Labels{"Naar het document", "Bekijk het document op", "Documentlink", "meldingen"}
	default:
		return Labels{"Go to the document", "See the document at", "Document link", "notifications"}
	}
}
