package app

import (
	"context"
	"fmt"

	"github.com/servus-desk/servus/internal/access"
	"github.com/servus-desk/servus/internal/demo"
)

// BenchSeed is what SeedBench produced: demo.SeedBench's result and an API
// token of the demo's agent, for servus bench run.
type BenchSeed struct {
	*demo.BenchResult
	AgentEmail, AgentToken string
}

// SeedBench fills an empty database for benchmarks (demo.SeedBench) and
// makes an API token for the demo's agent.
func (c *Core) SeedBench(ctx context.Context, o demo.BenchOptions) (*BenchSeed, error) {
	res, err := demo.SeedBench(ctx, c.DB, c.Blobs, o)
	if err != nil {
		return nil, err
	}
	out := &BenchSeed{BenchResult: res}
	for _, l := range res.Logins {
		if l.Role == "agent" {
			out.AgentEmail = l.Email
		}
	}
	tok, err := c.Service.CreateToken(ctx, access.System, out.AgentEmail)
	if err != nil {
		return nil, fmt.Errorf("create the agent's token: %w", err)
	}
	out.AgentToken = tok
	return out, nil
}
