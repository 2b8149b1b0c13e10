package sqlite

// Lock takes the owner's lock of the database at path without opening it,
// for tools that replace the file (restore): it fails with *LockedError
// while a program holds the database. unlock releases it.
func Lock(path, program string) (unlock func() error, err error) {
	l, err := acquire(path, program)
	if err != nil {
		return nil, err
	}
	return l.release, nil
}
