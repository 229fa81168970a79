package main

import (
	"encoding/json"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// booking is one room-booking form (builder/presets/reservation-salle.json)
// as the JSON API takes it.
type booking struct {
	FirstName   string      `json:"first_name"`
	LastName    string      `json:"last_name"`
	Email       string      `json:"email"`
	Phone       string      `json:"phone,omitempty"`
	Address     bookingAddr `json:"address"`
	Room        string      `json:"room"`
	Layout      string      `json:"layout,omitempty"` // salle-polyvalente only (ui:showIf)
	EventDate   string      `json:"event_date"`
	Attendees   int         `json:"attendees"`
	Equipment   []equipment `json:"equipment,omitempty"`
	Description string      `json:"description,omitempty"`
	Consent     bool        `json:"consent"`
}

type bookingAddr struct {
	Street   string `json:"street"`
	Postcode string `json:"postcode"`
	City     string `json:"city"`
}

type equipment struct {
	Item     string `json:"item"`
	Quantity int    `json:"quantity"`
}

var (
	firstNames = []string{"Anne", "Benoît", "Chloé", "David", "Élodie", "François", "Gaëlle", "Hugo", "Inès", "Jérôme",
		"Karin", "Léa", "Marc", "Noémie", "Olivier", "Patricia", "Quentin", "Rémi", "Sophie", "Thierry", "Ursula", "Valérie"}
	lastNames = []string{"Favre", "Rochat", "Müller", "Bonvin", "Cretton", "Pittet", "Dubois", "Gerber", "Zbinden",
		"Perrin", "Jaquier", "Monnier", "Rey", "Schmid", "Vuilleumier", "Hürlimann", "Aubert", "Mottier"}
	streets = []string{"Grand-Rue", "Chemin des Vignes", "Avenue de la Gare", "Route du Lac", "Rue du Midi", "Place du Marché"}
	cities  = []struct{ npa, name string }{{"1000", "Lausanne"}, {"1003", "Lausanne"}, {"1110", "Morges"},
		{"1400", "Yverdon-les-Bains"}, {"1800", "Vevey"}, {"1950", "Sion"}, {"2000", "Neuchâtel"}, {"1700", "Fribourg"}}
	rooms = []struct {
		id  string
		cap int
	}{{"salle-communale", 80}, {"salle-polyvalente", 300}, {"carnotzet", 30}}
	items   = []string{"Tables", "Chaises", "Sonorisation", "Vidéoprojecteur"}
	layouts = []string{"banquet", "conference", "vide"}
	words   = strings.Fields("assemblée générale de la société de musique souper de soutien anniversaire mariage " +
		"apéritif repas de famille cours de danse loto conférence exposition répétition concert soirée " +
		"annuelle des jeunes tournoi de jass vente de pâtisseries avec cuisine et bar ouverts jusqu'à minuit")
)

// payloadGen makes valid, varied, unique bookings for one worker.
type payloadGen struct {
	rnd    *rand.Rand
	prefix string // run and worker: keeps emails and keys unique
	n      int
	today  time.Time
}

func newPayloadGen(runID string, worker int) *payloadGen {
	return &payloadGen{
		rnd:    rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(worker))),
		prefix: runID + "." + strconv.Itoa(worker),
		today:  time.Now().UTC().Truncate(24 * time.Hour),
	}
}

// next returns a new booking and its idempotency key.
func (g *payloadGen) next() (*booking, string) {
	g.n++
	r := g.rnd
	serial := g.prefix + "." + strconv.Itoa(g.n)
	fn, ln := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	room := rooms[r.IntN(len(rooms))]
	city := cities[r.IntN(len(cities))]
	b := &booking{
		FirstName: fn,
		LastName:  ln + " " + strings.ToUpper(strconv.FormatInt(int64(r.Uint32()), 36)),
		Email:     ascii(fn) + "." + ascii(ln) + "." + serial + "@example.ch",
		Address: bookingAddr{Street: streets[r.IntN(len(streets))] + " " + strconv.Itoa(1+r.IntN(120)),
			Postcode: city.npa, City: city.name},
		Room:      room.id,
		EventDate: g.today.AddDate(0, 0, 15+r.IntN(350)).Format(time.DateOnly),
		Attendees: 1 + r.IntN(room.cap),
		Consent:   true,
	}
	if room.id == "salle-polyvalente" {
		b.Layout = layouts[r.IntN(len(layouts))]
	}
	if r.IntN(2) == 0 {
		b.Phone = "079 " + strconv.Itoa(100+r.IntN(900)) + " " + strconv.Itoa(10+r.IntN(90)) + " " + strconv.Itoa(10+r.IntN(90))
	}
	for i, k := 0, r.IntN(3); i < k; i++ {
		b.Equipment = append(b.Equipment, equipment{Item: items[(i+r.IntN(4))%4], Quantity: 1 + r.IntN(50)})
	}
	if n := r.IntN(40); n > 0 {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = words[r.IntN(len(words))]
		}
		b.Description = strings.ToUpper(ws[0][:1]) + strings.Join(ws, " ")[1:] + "."
	}
	return b, "load-" + serial
}

// jsonBody encodes b for the API.
func (b *booking) jsonBody() []byte {
	out, err := json.Marshal(b)
	if err != nil {
		panic(err) // plain struct: cannot fail
	}
	return out
}

// page1 and page2 are the urlencoded posts of the first two form pages;
// the third (file + consent) is multipart, see page3.
func (b *booking) page1(csrf, nonce string) []byte {
	v := url.Values{"_csrf": {csrf}, "_nonce": {nonce}, "_action": {"next"},
		"first_name": {b.FirstName}, "last_name": {b.LastName}, "email": {b.Email}, "phone": {b.Phone},
		"address.street": {b.Address.Street}, "address.postcode": {b.Address.Postcode}, "address.city": {b.Address.City}}
	return []byte(v.Encode())
}

func (b *booking) page2(csrf string) []byte {
	v := url.Values{"_csrf": {csrf}, "_nonce": {""}, "_action": {"next"},
		"room": {b.Room}, "layout": {b.Layout}, "event_date": {b.EventDate}, "attendees": {strconv.Itoa(b.Attendees)},
		"description": {b.Description}}
	for i, e := range b.Equipment {
		p := "equipment." + strconv.Itoa(i) + "."
		v.Set(p+"_", "")
		v.Set(p+"item", e.Item)
		v.Set(p+"quantity", strconv.Itoa(e.Quantity))
	}
	return []byte(v.Encode())
}

const multipartBoundary = "----guichetload7MA4YWxkTrZu0gW"

// page3 is the multipart post of the last page: an empty file input (as a
// browser sends it when no file is chosen) and the consent box.
func (b *booking) page3(csrf string) (contentType string, body []byte) {
	var s strings.Builder
	part := func(name, value string) {
		s.WriteString("--" + multipartBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
	}
	part("_csrf", csrf)
	part("_nonce", "")
	s.WriteString("--" + multipartBoundary + "\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"\"\r\n" +
		"Content-Type: application/octet-stream\r\n\r\n\r\n")
	part("consent", "true")
	part("_action", "next")
	s.WriteString("--" + multipartBoundary + "--\r\n")
	return "multipart/form-data; boundary=" + multipartBoundary, []byte(s.String())
}

// ascii lowercases s and drops its accents, for email local parts.
func ascii(s string) string { return strings.ToLower(unaccent.Replace(s)) }

var unaccent = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "É", "e", "ï", "i", "î", "i", "ô", "o",
	"ö", "o", "ü", "u", "û", "u", "à", "a", "â", "a", "ç", "c")
