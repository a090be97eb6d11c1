package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"golang.org/x/oauth2"

	"github.com/tradelink/tradelink/eaccounting"
)

// fileTokenStore is an eaccounting.TokenStore in a JSON file.
//
// Visma rotates the refresh token on every refresh: the old one stops
// working the moment the new one is issued, so the new token must be on
// disk before it is used, and a crash must never leave a torn file. Save
// therefore writes a temporary file beside the token file (mode 0600),
// syncs it, renames it over the token file — atomic on POSIX file systems
// and on NTFS — and syncs the directory. The file holds credentials: Load
// refuses a file that others may read, and nothing here prints a token.
type fileTokenStore struct {
	path string
	mu   sync.Mutex
}

var _ eaccounting.TokenStore = (*fileTokenStore)(nil)

// newFileTokenStore returns the store of the token file at path.
func newFileTokenStore(path string) *fileTokenStore { return &fileTokenStore{path: path} }

// String names the file, never the token.
func (s *fileTokenStore) String() string { return "token file " + s.path }

// Load reads the token. A missing file is eaccounting.ErrNoToken.
func (s *fileTokenStore) Load(context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info, err := os.Stat(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w (no %s; run with -authorize)", eaccounting.ErrNoToken, s)
	}
	if err != nil {
		return nil, err
	}
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%s may be read by others (mode %04o): run chmod 600 %s", s, info.Mode().Perm(), s.path)
	}
	data, err := os.ReadFile(s.path)
	if err != nil {
		return nil, err
	}
	var t oauth2.Token
	if err := json.Unmarshal(data, &t); err != nil {
		// The message of a syntax error quotes one character at most; the
		// rest of the file is never repeated.
		return nil, fmt.Errorf("%s is not a token file: %v", s, err)
	}
	if t.AccessToken == "" && t.RefreshToken == "" {
		return nil, fmt.Errorf("%s holds no access or refresh token; run with -authorize", s)
	}
	return &t, nil
}

// Save replaces the token file with t, atomically. It ignores ctx: a token
// the server issued must be kept even when the run is being cancelled.
func (s *fileTokenStore) Save(_ context.Context, t *oauth2.Token) error {
	if t == nil {
		return errors.New("fileTokenStore.Save: nil token")
	}
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return writeFileAtomic(s.path, append(data, '\n'))
}

// writeFileAtomic replaces path with data, readable by the owner only.
func writeFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if runtime.GOOS != "windows" { // CreateTemp makes it 0600 already; say so explicitly
		if err = tmp.Chmod(0o600); err != nil {
			return fmt.Errorf("save %s: %w", path, err)
		}
	}
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	// Make the rename itself durable. Directories cannot be synced on
	// every platform (Windows); the rename has happened either way.
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
