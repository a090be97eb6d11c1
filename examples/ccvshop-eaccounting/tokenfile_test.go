package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/tradelink/tradelink/eaccounting"
)

func TestFileTokenStoreRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	s := newFileTokenStore(path)
	if _, err := s.Load(t.Context()); !errors.Is(err, eaccounting.ErrNoToken) {
		t.Fatalf("Load of a missing file = %v, want ErrNoToken", err)
	}
	want := &oauth2.Token{AccessToken: "access-1", TokenType: "Bearer", RefreshToken: "refresh-1",
		Expiry: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	for i := range 3 { // the first save creates the file, the next replace it
		want.RefreshToken = fmt.Sprintf("refresh-%d", i)
		if err := s.Save(t.Context(), want); err != nil {
			t.Fatal(err)
		}
		got, err := s.Load(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(oauth2.Token{})); diff != "" {
			t.Errorf("loaded token (-want +got):\n%s", diff)
		}
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o, want 0600", info.Mode().Perm())
	}
	assertOnlyFile(t, path)
	if got := fmt.Sprint(s); strings.Contains(got, "refresh") || strings.Contains(got, "access") {
		t.Errorf("the store prints a token: %s", got)
	}
}

// TestFileTokenStoreConcurrentSaves leaves one whole token and no
// temporary files, whatever the interleaving.
func TestFileTokenStoreConcurrentSaves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "token.json")
	s := newFileTokenStore(path)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			if err := s.Save(t.Context(), &oauth2.Token{AccessToken: fmt.Sprintf("a%d", i), RefreshToken: fmt.Sprintf("r%d", i)}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	got, err := s.Load(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimPrefix(got.AccessToken, "a") != strings.TrimPrefix(got.RefreshToken, "r") {
		t.Errorf("a torn token: %+v", got)
	}
	assertOnlyFile(t, path)
}

func TestFileTokenStoreRejects(t *testing.T) {
	tests := []struct {
		name, content string
		perm          os.FileMode
		want          string
	}{
		{"not JSON", `access_token=secret-value`, 0o600, "is not a token file"},
		{"no token", `{"token_type": "Bearer"}`, 0o600, "holds no access or refresh token; run with -authorize"},
		{"readable by others", `{"refresh_token": "secret-value"}`, 0o644, "may be read by others (mode 0644): run chmod 600"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.perm&0o077 != 0 && runtime.GOOS == "windows" {
				t.Skip("Windows has no such file modes")
			}
			path := filepath.Join(t.TempDir(), "token.json")
			if err := os.WriteFile(path, []byte(tt.content), tt.perm); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tt.perm); err != nil { // past the umask
				t.Fatal(err)
			}
			_, err := newFileTokenStore(path).Load(t.Context())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret-value") {
				t.Errorf("the error repeats the file: %v", err)
			}
		})
	}
}

// assertOnlyFile checks that path is the only file in its directory: no
// temporary file was left behind.
func assertOnlyFile(t *testing.T, path string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != filepath.Base(path) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files beside the token: %v", names)
	}
}
