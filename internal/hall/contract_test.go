package hall_test

import (
	"testing"

	"servicehall/internal/contract"
	"servicehall/internal/halltest"
)

// The in-process hall keeps the service contract that the LAN client keeps too.
func TestLocalKeepsTheServiceContract(t *testing.T) {
	contract.Run(t, func(t *testing.T) contract.Harness {
		h := halltest.New(t, nil)
		return contract.Harness{Svc: h.Local, Hall: h}
	})
}
