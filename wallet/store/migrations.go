package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout this code writes. A migration moves a file from version i to i+1;
// migrations only ever go forward, and a file from a newer satchel is refused, not guessed at.
const SchemaVersion = 2

// migrations[i] turns schema i into schema i+1. Version 0 is an empty file.
var migrations = []func(*bolt.Tx) error{
	0: func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	},
	// 1 -> 2: the tip queue.
	1: func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketTips)
		return err
	},
}

func readSchema(tx *bolt.Tx) uint32 {
	b := tx.Bucket(bucketMeta)
	if b == nil {
		return 0
	}
	v := b.Get([]byte("schema"))
	if len(v) != 4 {
		return 0
	}
	return binary.BigEndian.Uint32(v)
}

func (s *Store) checkSchema() error {
	return s.db.View(func(tx *bolt.Tx) error {
		v := readSchema(tx)
		if v > SchemaVersion {
			return fmt.Errorf("%s has schema %d, this satchel knows %d: %w", s.path, v, SchemaVersion, ErrNewerSchema)
		}
		if v < SchemaVersion {
			return fmt.Errorf("%s has schema %d: open it once for writing to migrate it", s.path, v)
		}
		return nil
	})
}

func (s *Store) migrate() error {
	var v uint32
	if err := s.db.View(func(tx *bolt.Tx) error { v = readSchema(tx); return nil }); err != nil {
		return err
	}
	if v > SchemaVersion {
		return fmt.Errorf("%s has schema %d, this satchel knows %d: %w", s.path, v, SchemaVersion, ErrNewerSchema)
	}
	if v == SchemaVersion {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		for ; v < SchemaVersion; v++ {
			if err := migrations[v](tx); err != nil {
				return fmt.Errorf("migrate %s from schema %d: %w", s.path, v, err)
			}
		}
		var buf [4]byte
		binary.BigEndian.PutUint32(buf[:], SchemaVersion)
		return tx.Bucket(bucketMeta).Put([]byte("schema"), buf[:])
	})
}
