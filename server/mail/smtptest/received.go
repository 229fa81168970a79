package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"time"
)

// Received is one message the server accepted.
type Received struct {
	From string   // envelope sender (MAIL FROM)
	To   []string // envelope recipients (RCPT TO)
	Data []byte   // the message as sent, headers and body

	Header    mail.Header // parsed headers, nil if they do not parse
	Subject   string      // decoded from RFC 2047 encoded words
	Body      string      // decoded from quoted-printable or base64, "\n" line ends
	MessageID string      // the Message-ID header, angle brackets included

	TLS           bool // the transaction ran over TLS (STARTTLS or implicit)
	Authenticated bool // the client authenticated first
}

// decode fills the header fields of a Received from the raw message. It
// handles the single-part text messages the platform sends; for anything
// else, Body is the raw body.
func decode(data []byte) Received {
	r := Received{Data: data}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return r
	}
	r.Header = msg.Header
	r.MessageID = msg.Header.Get("Message-Id")
	r.Subject = msg.Header.Get("Subject")
	if s, err := new(mime.WordDecoder).DecodeHeader(r.Subject); err == nil {
		r.Subject = s
	}
	raw, _ := io.ReadAll(msg.Body)
	var body io.Reader
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(bytes.NewReader(raw))
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, newlineStripper{bytes.NewReader(raw)})
	}
	if body != nil {
		if decoded, err := io.ReadAll(body); err == nil {
			raw = decoded
		}
	}
	r.Body = strings.ReplaceAll(string(raw), "\r\n", "\n")
	return r
}

// newlineStripper drops CR and LF, which base64 bodies wrap lines with.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	for {
		c, err := n.r.Read(p)
		kept := 0
		for _, b := range p[:c] {
			if b != '\r' && b != '\n' {
				p[kept] = b
				kept++
			}
		}
		if kept > 0 || err != nil {
			return kept, err
		}
	}
}

// selfSignedTLS returns a server configuration with a fresh certificate for
// 127.0.0.1, valid for one day.
func selfSignedTLS() (*tls.Config, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"localhost"},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
