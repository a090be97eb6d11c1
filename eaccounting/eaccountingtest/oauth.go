package eaccountingtest

import (
	"net/http"
	"net/url"
	"time"
)

// serveAuthorize is Visma Connect's authorize page, answered at once for
// the registered client: it redirects to redirect_uri with a code and the
// state, as if the user had logged in and picked the company.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != ClientID || q.Get("response_type") != "code" {
		http.Error(w, "invalid_request: unknown client_id or response_type", http.StatusBadRequest)
		return
	}
	redirect := q.Get("redirect_uri")
	if redirect == "" {
		redirect = RedirectURL
	}
	u, err := url.Parse(redirect)
	if err != nil {
		http.Error(w, "invalid_request: redirect_uri", http.StatusBadRequest)
		return
	}
	code := "code-" + randomHex(12)
	s.mu.Lock()
	s.codes[code] = q.Get("redirect_uri")
	s.mu.Unlock()
	v := u.Query()
	v.Set("code", code)
	if st := q.Get("state"); st != "" {
		v.Set("state", st)
	}
	u.RawQuery = v.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// serveToken is /connect/token: client authentication with HTTP Basic, the
// authorization_code and refresh_token grants, and refresh-token rotation:
// a refresh token works once; the answer carries its successor.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request"})
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok || id != ClientID || secret != ClientSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	grant := r.PostForm.Get("grant_type")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch grant {
	case "authorization_code":
		redirect, known := s.codes[r.PostForm.Get("code")]
		if !known || redirect != "" && redirect != r.PostForm.Get("redirect_uri") {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
			return
		}
		delete(s.codes, r.PostForm.Get("code"))
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		if !s.refresh[rt] {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
			return
		}
		delete(s.refresh, rt)
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	s.grants[grant]++
	t := s.issue()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": t.AccessToken, "refresh_token": t.RefreshToken, "token_type": "Bearer",
		"expires_in": int(time.Until(t.Expiry).Round(time.Second) / time.Second),
		"scope":      "ea:api ea:sales offline_access",
	})
}
