// Package app is servus's composition root: the only place that builds the
// parts (database, blob store, use cases, HTTP handlers, server) and the
// only place that starts goroutines, each with an owner, a context and a
// wait.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/servus-desk/servus/internal/blob"
	"github.com/servus-desk/servus/internal/config"
	"github.com/servus-desk/servus/internal/desk"
	"github.com/servus-desk/servus/internal/store"
	"github.com/servus-desk/servus/internal/ticket"
)

// Core is servus's state: database, attachments, use cases. The commands
// that do not serve (user add, token create, …) use it directly.
type Core struct {
	DB      *store.DB
	Blobs   *blob.Store
	Service *desk.Service
	// Migrated is how many migrations Open applied.
	Migrated int
}

// Open opens the database named by cfg (SQLite in cfg.Data, or cfg.DB),
// applies every pending migration, opens the attachment store in
// <cfg.Data>/attachments (SQLite) or in the database (PostgreSQL, see
// openBlobs) and builds the use cases. The caller closes the
// Core. Errors are database or file-system faults, described for an
// operator.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*Core, error) {
	if err := os.MkdirAll(cfg.Data, 0o750); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	db, err := store.Open(ctx, cfg.DB, cfg.Data, log)
	if err != nil {
		return nil, err
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	if n > 0 {
		log.Info("applied migrations", "count", n, "dialect", db.Dialect())
	}
	dir, rules, err := newDirectory(cfg.LDAP)
	if err != nil {
		db.Close()
		return nil, err
	}
	rp, oidcRules, err := newOpenID(cfg.OIDC)
	if err != nil {
		db.Close()
		return nil, err
	}
	rules = append(rules, oidcRules...)
	blobs, err := openBlobs(ctx, db, cfg, log, true)
	if err != nil {
		db.Close()
		return nil, err
	}
	// Message-IDs end in the sender's domain, so they are servus's own.
	_, mailDomain, _ := strings.Cut(mailFrom(cfg, cfg.BaseURL), "@")
	staffWindow := cfg.StaffMailWindow
	if staffWindow <= 0 {
		staffWindow = -1 // no folding
	}
	opts := desk.Options{MaxAttachment: cfg.MaxAttachment, MailDomain: mailDomain, AutoCloseAfter: cfg.AutoCloseAfter,
		Inbound: desk.InboundOptions{SubjectPrefix: cfg.SubjectPrefix, ReopenGrace: cfg.Inbound.ReopenGrace,
			TrustedAuthServIDs: cfg.Inbound.TrustedAuthServIDs},
		Mail: desk.MailOptions{StaffWindow: staffWindow}, GroupRules: append(rules, groupRules(cfg.SAML.Groups, ticket.SourceSAML)...), Logger: log}
	if dir != nil {
		opts.Directory = dir // a nil *Directory would be a non-nil interface
	}
	if rp != nil {
		opts.OpenID = rp
	}
	svc := desk.New(db, blobs, opts)
	return &Core{DB: db, Blobs: blobs, Service: svc, Migrated: n}, nil
}

// OpenStorage opens the database and the attachment store named by cfg as
// Open does, but neither migrates nor builds the use cases: for backup and
// restore, which must see the database as it is.
func OpenStorage(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.DB, *blob.Store, error) {
	if err := os.MkdirAll(cfg.Data, 0o750); err != nil {
		return nil, nil, fmt.Errorf("create data folder: %w", err)
	}
	db, err := store.Open(ctx, cfg.DB, cfg.Data, log)
	if err != nil {
		return nil, nil, err
	}
	blobs, err := openBlobs(ctx, db, cfg, log, false)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, blobs, nil
}

// openBlobs opens the file store: the folder <cfg.Data>/attachments with
// SQLite, the database with PostgreSQL (so that every instance serves every
// file), reading files the database lacks from that folder. With copyIn,
// files an older servus kept in the folder are copied into PostgreSQL
// first (once: later starts find them there and copy nothing).
func openBlobs(ctx context.Context, db *store.DB, cfg config.Config, log *slog.Logger, copyIn bool) (*blob.Store, error) {
	dir := filepath.Join(cfg.Data, "attachments")
	if db.Dialect() != store.Postgres {
		return blob.Open(dir)
	}
	shared, err := db.SharedBlobs(ctx)
	if err != nil {
		return nil, fmt.Errorf("open the file tables: %w", err)
	}
	blobs, err := blob.OpenShared(shared, dir)
	if err != nil {
		return nil, err
	}
	if copyIn {
		start := time.Now()
		n, bad, err := blobs.CopyFolderIn(ctx)
		if err != nil {
			return nil, err
		}
		if n > 0 || bad > 0 {
			log.Info("copied files from the data folder into the database", "files", n, "damaged", bad,
				"folder", dir, "took", time.Since(start).Round(time.Millisecond))
		}
	}
	return blobs, nil
}

// Close closes the database.
func (c *Core) Close() error {
	if c == nil || c.DB == nil {
		return nil
	}
	return c.DB.Close()
}

// closeWith closes c and joins a close failure into *err.
func (c *Core) closeWith(err *error) {
	if cerr := c.Close(); cerr != nil {
		*err = errors.Join(*err, fmt.Errorf("close database: %w", cerr))
	}
}
