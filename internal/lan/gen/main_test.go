package main

import (
	"bytes"
	"os"
	"testing"
)

// The LAN client must implement every method of hall.Service as the
// interface is now: regenerate with `go generate ./internal/lan`.
func TestClientIsGeneratedFromTheCurrentInterface(t *testing.T) {
	src, err := os.ReadFile("../../hall/service.go")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Generate(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../client_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("internal/lan/client_gen.go is stale: run go generate ./internal/lan")
	}
}

func TestGenerateRefusesAnInterfaceItCannotCall(t *testing.T) {
	for name, src := range map[string]string{
		"no interface":  "package hall\n",
		"three results": "package hall\ntype Service interface{ X(ctx context.Context) (int, int, error) }\n",
		"no error":      "package hall\ntype Service interface{ X(ctx context.Context) int }\n",
		"unnamed":       "package hall\ntype Service interface{ X(context.Context) error }\n",
	} {
		if _, err := Generate([]byte(src)); err == nil {
			t.Errorf("%s: generated", name)
		}
	}
}
