package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"strings"

	"github.com/tradelink/tradelink/eaccounting"
	"github.com/tradelink/tradelink/internal/demo"
)

// runAuthorize connects eAccounting with OAuth2's authorization-code flow
// in two steps. Without -code it prints the Visma Connect URL to open and
// keeps the state it put in that URL beside the token file. With -code —
// the address Visma redirected the browser to, or only its code — it
// checks the state, exchanges the code for a token and saves the token to
// the token file.
func (c *config) runAuthorize(ctx context.Context, f *demo.Flags, out io.Writer) error {
	if err := f.Require("eAccounting settings", "client-id", "client-secret", "redirect-url"); err != nil {
		return err
	}
	auth, err := eaccounting.NewOAuth(c.credentials())
	if err != nil {
		return err
	}
	statePath := c.tokenFile + ".state"
	if c.code == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		state := hex.EncodeToString(b[:])
		if err := writeFileAtomic(statePath, []byte(state)); err != nil {
			return err
		}
		fmt.Fprintf(out, `Open this address in a browser, sign in to Visma and choose the company to sync into:

  %s

Visma then sends the browser to %s with ?code=…&state=… added.
Copy that whole address and run:

  ccvshop-eaccounting -authorize -code '<the address>'
`, auth.AuthCodeURL(state), c.redirectURL)
		return nil
	}
	code, state, err := parseCallback(c.code)
	if err != nil {
		return err
	}
	if state != "" {
		want, err := os.ReadFile(statePath)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return errors.New("-authorize -code: no authorization is pending here; run -authorize without -code first")
		case err != nil:
			return err
		case subtle.ConstantTimeCompare([]byte(strings.TrimSpace(string(want))), []byte(state)) != 1:
			return errors.New("-authorize -code: the state in the address is not the one this program sent; run -authorize again")
		}
	}
	if _, err := auth.Exchange(ctx, code); err != nil {
		return err
	}
	_ = os.Remove(statePath)
	fmt.Fprintf(out, "eAccounting is connected: the token is saved in %s (readable by you only).\nRun without -authorize to sync; try -plan first.\n", c.tokenFile)
	return nil
}

// parseCallback reads the code and state from the address Visma redirected
// to, or takes s as a bare code (then there is no state to check).
func parseCallback(s string) (code, state string, err error) {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, "?&=/") {
		return s, "", nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", "", errors.New("-code: not an address or a code")
	}
	q := u.Query()
	if e := q.Get("error"); e != "" {
		msg := "Visma did not authorize the application: " + e
		if d := q.Get("error_description"); d != "" {
			msg += " (" + d + ")"
		}
		return "", "", errors.New(msg)
	}
	if q.Get("code") == "" {
		return "", "", errors.New("-code: the address has no code parameter; copy the whole address the browser was sent to")
	}
	return q.Get("code"), q.Get("state"), nil
}
