package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/schema"
)

// InsertRows inserts rows (pointers to one bun model) in tx the fastest
// way the database allows. On SQLite, where the statement is parsed in
// the same process, that is one prepared single-row INSERT executed once
// per row with bound arguments: no SQL text with every value quoted in
// it to build and parse, no RETURNING to scan. On PostgreSQL it is bun's
// multi-row INSERT, one round trip for all rows. The columns and values
// are those bun would write, taken from the model's bun tags, so a field
// added to a model is inserted here too.
func InsertRows[T any](ctx context.Context, tx bun.Tx, rows []*T) error {
	if len(rows) == 0 {
		return nil
	}
	ins := insertFor(tx, reflect.TypeFor[T]())
	if ins == nil {
		_, err := tx.NewInsert().Model(&rows).Returning("NULL").Exec(ctx)
		return err
	}
	stmt, err := tx.PrepareContext(ctx, ins.sql)
	if err != nil {
		return fmt.Errorf("prepare insert into %s: %w", ins.table, err)
	}
	defer stmt.Close()
	args := make([]any, len(ins.fields))
	for _, r := range rows {
		v := reflect.ValueOf(r).Elem()
		for i, f := range ins.fields {
			args[i] = driverValue(f.Value(v))
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("insert into %s: %w", ins.table, err)
		}
	}
	return nil
}

// preparedInsert is the single-row INSERT of one model on SQLite.
type preparedInsert struct {
	table  string
	sql    string
	fields []*schema.Field
}

var inserts sync.Map // reflect.Type → *preparedInsert (nil: use bun)

// insertFor returns the prepared insert of typ, or nil when bun's own
// insert must be used (PostgreSQL, or a field type driverValue does not
// know).
func insertFor(tx bun.Tx, typ reflect.Type) *preparedInsert {
	if tx.Dialect().Name() != dialect.SQLite {
		return nil
	}
	if v, ok := inserts.Load(typ); ok {
		return v.(*preparedInsert)
	}
	t := tx.Dialect().Tables().Get(typ)
	ins := &preparedInsert{table: t.Name, fields: t.Fields}
	cols := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		if !knownType(f.IndirectType) {
			ins = nil
			break
		}
		cols[i] = string(f.SQLName)
	}
	if ins != nil {
		ins.sql = "INSERT INTO " + string(t.SQLName) + " (" + strings.Join(cols, ", ") + ") VALUES (" +
			strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	}
	inserts.Store(typ, ins)
	return ins
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	rawJSONType = reflect.TypeFor[json.RawMessage]()
	bytesType   = reflect.TypeFor[[]byte]()
)

func knownType(t reflect.Type) bool {
	switch t {
	case timeType, rawJSONType, bytesType:
		return true
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int32, reflect.Int64, reflect.Float64:
		return true
	}
	return false
}

// driverValue converts a model field to what bun would have written:
// times as UTC text in bun's format (so that they compare as text with
// the values of bun's queries), JSON as text, nil pointers as NULL.
func driverValue(v reflect.Value) any {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	switch v.Type() {
	case timeType:
		return v.Interface().(time.Time).UTC().Format("2006-01-02 15:04:05.999999-07:00")
	case rawJSONType:
		b := v.Bytes()
		if b == nil {
			return nil
		}
		return string(b)
	case bytesType:
		return v.Bytes()
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Float64:
		return v.Float()
	}
	panic(fmt.Sprintf("store: no driver value for %s", v.Type())) // excluded by knownType
}
