package runtime

// french translates the refusals of the runtime (see refusals.go) for the
// agents of a commune, keyed by their English format; identifiers and
// labels (states, transitions, roles, rules) stay as they are, in « ».
// TestFrenchRefusals checks that every format has its translation, with
// the same verbs (a %q becomes « %s »).
var french = map[string]string{
	// Transitions.
	"this procedure has no pipeline":          "cette démarche n’a pas de traitement",
	"unknown transition %q":                   "la transition « %s » n’existe pas",
	"your role may not fire %q":               "votre rôle ne vous permet pas d’effectuer « %s »",
	"%q is not possible from the state %q":    "« %s » n’est pas possible depuis l’état « %s »",
	"guard of %q failed: %v":                  "la condition de « %s » n’a pas pu être évaluée : %v",
	"the conditions of %q are not met":        "les conditions de « %s » ne sont pas remplies",
	"the dossier is closed":                   "le dossier est clos",
	"a comment is 1 to 20000 characters long": "un commentaire compte de 1 à 20\u00a0000 caractères",

	// Circulation and opinions.
	"unknown role %q": "le rôle « %s » n’existe pas",
	"your role may not circulate the dossier to %q":                  "votre rôle ne vous permet pas de solliciter « %s » sur ce dossier",
	`write a delay as "10d" (calendar days) or "5wd" (working days)`: "indiquez le délai sous la forme « 10d » (jours calendaires) ou « 5wd » (jours ouvrables)",
	"the role is already pending on this dossier":                    "ce service est déjà activé, sans dates, sur ce dossier",
	"the role is already invited on this dossier":                    "ce service est déjà invité sur ce dossier",
	"the role has already returned its opinion on this dossier":      "ce service a déjà rendu son préavis sur ce dossier",
	"the role %q has already returned its opinion on this dossier":   "le service « %s » a déjà rendu son préavis sur ce dossier",
	"you do not hold the role %q":                                    "vous n’avez pas le rôle « %s »",
	"the role %q is not invited to give its opinion on this dossier": "le service « %s » n’est pas invité à rendre un préavis sur ce dossier",

	// Rules.
	"rules triggered each other more than %d times (%s): check the pipeline's rules for a loop": "les règles se sont déclenchées l’une l’autre plus de %d fois (%s) : vérifiez que les règles du traitement ne forment pas une boucle",
	"rule %q: condition failed: %v": "règle « %s » : la condition n’a pas pu être évaluée : %v",
	"rule %q, action %d: %s":        "règle « %s », action %d : %s",
	"rule %q, action %d: %v":        "règle « %s », action %d : %v",
}
