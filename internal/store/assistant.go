package store

import (
	"context"
	"encoding/json"
	"time"
)

// AssistantField is one extra field a leaf of the new-ticket assistant asks
// for; it is stored in assistant_nodes.fields as JSON.
type AssistantField struct {
	Name     string `json:"name"`
	LabelDE  string `json:"label_de"`
	LabelEN  string `json:"label_en"`
	Required bool   `json:"required,omitempty"`
	Kind     string `json:"kind"` // "text" or "textarea"
	HelpDE   string `json:"help_de,omitempty"`
	HelpEN   string `json:"help_en,omitempty"`
}

// AssistantNode is one row of assistant_nodes: a menu or a leaf.
type AssistantNode struct {
	ID              int64
	ParentID        int64 // 0 at the top
	Position        int
	TitleDE         string
	TitleEN         string
	HelpDE          string
	HelpEN          string
	Leaf            bool
	QueueID         int64  // 0 when none (a menu, or a leaf whose queue is gone)
	QueueName       string // of QueueID
	SubjectTemplate string
	Fields          []AssistantField
	LinkURL         string // a leaf that points to another web application instead of making a ticket; "" otherwise
	CreatedAt       time.Time
}

// AssistantNodes returns every node of the assistant, by parent and
// position.
func (tx *Tx) AssistantNodes(ctx context.Context) ([]*AssistantNode, error) {
	rows, err := tx.query(ctx, `SELECT n.id, COALESCE(n.parent_id, 0), n.position, n.title_de, n.title_en, n.help_de, n.help_en,
		n.is_leaf, COALESCE(n.queue_id, 0), COALESCE(q.name, ''), n.subject_template, n.fields, n.link_url, n.created_at
		FROM assistant_nodes n LEFT JOIN queues q ON q.id = n.queue_id
		ORDER BY COALESCE(n.parent_id, 0), n.position, n.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*AssistantNode
	for rows.Next() {
		var n AssistantNode
		var fields string
		var created int64
		if err := rows.Scan(&n.ID, &n.ParentID, &n.Position, &n.TitleDE, &n.TitleEN, &n.HelpDE, &n.HelpEN,
			&n.Leaf, &n.QueueID, &n.QueueName, &n.SubjectTemplate, &fields, &n.LinkURL, &created); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(fields), &n.Fields); err != nil {
			return nil, err
		}
		n.CreatedAt = fromMS(created)
		out = append(out, &n)
	}
	return out, rows.Err()
}

func nodeArgs(n *AssistantNode) ([]any, error) {
	fields := n.Fields
	if fields == nil {
		fields = []AssistantField{}
	}
	b, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	return []any{nullID(n.ParentID), n.Position, n.TitleDE, n.TitleEN, n.HelpDE, n.HelpEN, n.Leaf, nullID(n.QueueID),
		n.SubjectTemplate, string(b), n.LinkURL}, nil
}

// InsertAssistantNode adds n and sets n.ID.
func (tx *Tx) InsertAssistantNode(ctx context.Context, n *AssistantNode) error {
	args, err := nodeArgs(n)
	if err != nil {
		return err
	}
	return tx.queryRow(ctx, `INSERT INTO assistant_nodes (parent_id, position, title_de, title_en, help_de, help_en,
		is_leaf, queue_id, subject_template, fields, link_url, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		append(args, ms(n.CreatedAt))...).Scan(&n.ID)
}

// UpdateAssistantNode stores every column of n but its creation time.
func (tx *Tx) UpdateAssistantNode(ctx context.Context, n *AssistantNode) error {
	args, err := nodeArgs(n)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE assistant_nodes SET parent_id = ?, position = ?, title_de = ?, title_en = ?, help_de = ?,
		help_en = ?, is_leaf = ?, queue_id = ?, subject_template = ?, fields = ?, link_url = ? WHERE id = ?`, append(args, n.ID)...)
	return err
}

// DeleteAssistantNodes removes the nodes with the given ids.
func (tx *Tx) DeleteAssistantNodes(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	_, err := tx.exec(ctx, "DELETE FROM assistant_nodes WHERE id IN ("+placeholders(len(ids))+")", args...)
	return err
}
