package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeIncidentLimitFlags: serve refuses an incident limit outside its
// range before it opens anything, naming the flag.
func TestServeIncidentLimitFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--max-incident-sources", "201"},
		{"--max-incident-page", "-1"},
		{"--same-event-reads", "5000"},
	} {
		data := filepath.Join(t.TempDir(), "data")
		err := Run(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0", "--data", data}, args...),
			strings.NewReader(""), io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), args[0]) {
			t.Errorf("%v: %v, want an error naming the flag", args, err)
		}
	}
}
