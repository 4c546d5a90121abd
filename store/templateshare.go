package store

import (
	"context"
	"encoding/json"

	inlet "github.com/inlet-data/inlet"
)

var _ inlet.TemplateShareStore = (*DB)(nil)

func (s *DB) CreateTemplateShare(ctx context.Context, sh *inlet.TemplateShare) error {
	if sh.Pinned == nil {
		sh.Pinned = map[string][]string{}
	}
	if sh.Formats == nil {
		sh.Formats = []string{}
	}
	pinned, err := json.Marshal(sh.Pinned)
	if err != nil {
		return err
	}
	formats, err := json.Marshal(sh.Formats)
	if err != nil {
		return err
	}
	sh.CreatedAt = s.Now()
	_, err = s.db.ExecContext(ctx, `INSERT INTO template_shares (id, tenant, template_id, customer, pinned, formats, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		sh.ID, sh.Tenant, sh.TemplateID, sh.Customer, string(pinned), string(formats), sh.CreatedBy, formatTime(sh.CreatedAt))
	return translate(err, "a share of this template with this customer")
}

// templateShareQuery reads only live shares: of a template not deleted, to
// a user who is a customer of the share's tenant now.
const templateShareQuery = `SELECT s.id, s.tenant, s.template_id, s.customer, u.email, s.pinned, s.formats, s.created_by, s.created_at
	FROM template_shares s
	JOIN templates t ON t.id = s.template_id AND t.tenant = s.tenant AND t.deleted_at IS NULL
	JOIN memberships m ON m.user_id = s.customer AND m.tenant = s.tenant AND m.role = 'customer'
	JOIN users u ON u.id = s.customer`

func scanTemplateShare(r scanner) (inlet.TemplateShare, error) {
	var sh inlet.TemplateShare
	var pinned, formats, created string
	if err := r.Scan(&sh.ID, &sh.Tenant, &sh.TemplateID, &sh.Customer, &sh.CustomerEmail, &pinned, &formats, &sh.CreatedBy, &created); err != nil {
		return sh, err
	}
	sh.CreatedAt = parseTime(created)
	if err := json.Unmarshal([]byte(pinned), &sh.Pinned); err != nil {
		return sh, err
	}
	return sh, json.Unmarshal([]byte(formats), &sh.Formats)
}

func (s *DB) TemplateShares(ctx context.Context, tenant, templateID string) ([]inlet.TemplateShare, error) {
	return queryAll(ctx, s, scanTemplateShare, templateShareQuery+` WHERE s.tenant = ? AND s.template_id = ? ORDER BY u.email`, tenant, templateID)
}

func (s *DB) CustomerTemplateShares(ctx context.Context, tenant, customer string) ([]inlet.TemplateShare, error) {
	return queryAll(ctx, s, scanTemplateShare, templateShareQuery+` WHERE s.tenant = ? AND s.customer = ? ORDER BY t.name`, tenant, customer)
}

func (s *DB) CustomerTemplateShare(ctx context.Context, tenant, customer, templateID string) (*inlet.TemplateShare, error) {
	sh, err := scanTemplateShare(s.db.QueryRowContext(ctx, templateShareQuery+` WHERE s.tenant = ? AND s.customer = ? AND s.template_id = ?`, tenant, customer, templateID))
	if err != nil {
		return nil, translate(err, "template "+templateID)
	}
	return &sh, nil
}

func (s *DB) DeleteTemplateShare(ctx context.Context, tenant, templateID, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM template_shares WHERE tenant = ? AND template_id = ? AND id = ?`, tenant, templateID, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return inlet.Errorf(inlet.ENOTFOUND, "share %s not found", id)
	}
	return nil
}
