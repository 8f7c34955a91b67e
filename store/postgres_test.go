package store

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/switchboard-rtc/switchboard/store/pgtest"
)

// behaviourFiles hold the tests that use only the Store interface (through
// newStore): TestPostgres runs every one of them again on PostgreSQL.
var behaviourFiles = []string{"users_test.go", "groups_test.go", "calls_test.go", "callsave_test.go",
	"concurrency_test.go", "devices_test.go", "outbox_test.go", "outboxids_test.go", "quality_test.go"}

// behaviourSuite is the same suite, by name.
var behaviourSuite = map[string]func(*testing.T){
	"CreateAndGetUser": TestCreateAndGetUser, "CreateUserRejects": TestCreateUserRejects,
	"GetUserMissing": TestGetUserMissing, "UpsertUser": TestUpsertUser, "UpdateUser": TestUpdateUser, "DisableUser": TestDisableUser, "EraseUser": TestEraseUser,
	"ListUsersPages": TestListUsersPages, "ListUsersEmptyIsNotNil": TestListUsersEmptyIsNotNil,
	"CreateGetListGroups": TestCreateGetListGroups, "CreateGroupRejects": TestCreateGroupRejects,
	"Members": TestMembers, "AddMembersAllOrNothing": TestAddMembersAllOrNothing,
	"DeleteGroupRemovesMembers": TestDeleteGroupRemovesMembers, "SaveAndGetCall": TestSaveAndGetCall, "RenameGroup": TestRenameGroup,
	"SaveCallRejects": TestSaveCallRejects, "ListCalls": TestListCalls, "ListOpenCalls": TestListOpenCalls,
	"ListCallsFindsCallsWithoutTheirPeople": TestListCallsFindsCallsWithoutTheirPeople, "ListCallsRejects": TestListCallsRejects,
	"ListCallsDefaultLimitAndPaging": TestListCallsDefaultLimitAndPaging, "ListCallsPagesThroughTies": TestListCallsPagesThroughTies,
	"CloseOpenCalls": TestCloseOpenCalls, "CancelledContextWritesNothing": TestCancelledContextWritesNothing,
	"SaveCalls":               TestSaveCalls,
	"SaveCallAgainReplacesIt": TestSaveCallAgainReplacesIt, "SaveCallsAllOrNothing": TestSaveCallsAllOrNothing,
	"SaveCallsOverAnotherStoresWrites": TestSaveCallsOverAnotherStoresWrites, "GroupCallSavesOnlyChangedRows": TestGroupCallSavesOnlyChangedRows,
	"ConcurrentSaveAndList": TestConcurrentSaveAndList, "ConcurrentAddMembers": TestConcurrentAddMembers,
	"PutDeviceAndList": TestPutDeviceAndList, "PutDeviceMovesToken": TestPutDeviceMovesToken,
	"PutDeviceRejects": TestPutDeviceRejects, "TooManyDevices": TestTooManyDevices,
	"DeleteDevice": TestDeleteDevice, "DeviceHoldsAPNsKinds": TestDeviceHoldsAPNsKinds,
	"DeleteDeviceKinds": TestDeleteDeviceKinds, "DeviceLimitCountsInstalls": TestDeviceLimitCountsInstalls,
	"OutboxEnqueuePendingFinish": TestOutboxEnqueuePendingFinish,
	"OutboxListReplayPrune":      TestOutboxListReplayPrune, "OutboxRejectsBadItems": TestOutboxRejectsBadItems,
	"OutboxEventsPresent": TestOutboxEventsPresent, "OutboxNodes": TestOutboxNodes,
	"QualitySaveAndRead": TestQualitySaveAndRead, "QualityRejects": TestQualityRejects,
}

// TestPostgres runs the store's behaviour suite against a real PostgreSQL
// (pgtest: Debian's binaries, a throwaway server), one database per test.
func TestPostgres(t *testing.T) {
	pgtest.Require(t)
	for name, fn := range behaviourSuite {
		t.Run(name, fn)
	}
}

// onPostgres: the test runs under TestPostgres.
func onPostgres(t *testing.T) bool { return strings.HasPrefix(t.Name(), "TestPostgres/") }

func openPostgresTest(t *testing.T, clk *clock) Store {
	t.Helper()
	dsn := pgtest.Require(t).NewDSN(t)
	s, err := Open(context.Background(), Config{Driver: DriverPostgres, DSN: dsn, Now: clk.Now}, nil)
	if err != nil {
		t.Fatalf("Open(postgres): %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestPostgresSuiteIsComplete: every test in the behaviour files is in
// behaviourSuite, so none silently runs on SQLite only.
func TestPostgresSuiteIsComplete(t *testing.T) {
	fset := token.NewFileSet()
	for _, f := range behaviourFiles {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") {
				continue
			}
			if _, ok := behaviourSuite[strings.TrimPrefix(fn.Name.Name, "Test")]; !ok {
				t.Errorf("%s (%s) is not in behaviourSuite: add it so it runs on PostgreSQL too", fn.Name.Name, f)
			}
		}
	}
}

// TestPostgresMigratesOnceAndReopens: a second Open of a migrated
// database changes nothing and sees the data; a database of another
// program is refused, naming it; a bad DSN names store.dsn without the
// password.
func TestPostgresMigratesOnceAndReopens(t *testing.T) {
	srv := pgtest.Require(t)
	ctx := context.Background()
	dsn := srv.NewDSN(t)
	s1, err := Open(ctx, Config{Driver: DriverPostgres, DSN: dsn}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s1.CreateUser(ctx, User{UID: "ann", Name: "Ann"}); err != nil {
		t.Fatal(err)
	}
	_ = s1.Close()
	s2, err := Open(ctx, Config{Driver: DriverPostgres, DSN: dsn}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if u, err := s2.GetUser(ctx, "ann"); err != nil || u.Name != "Ann" {
		t.Fatalf("after reopen: %+v %v", u, err)
	}

	foreign := srv.NewDSN(t)
	s3, err := Open(ctx, Config{Driver: DriverPostgres, DSN: foreign}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s3.(*sqlStore).w.ExecContext(ctx, `DROP TABLE schema_version`); err != nil {
		t.Fatal(err)
	}
	_ = s3.Close()
	if _, err := Open(ctx, Config{Driver: DriverPostgres, DSN: foreign}, nil); err == nil ||
		!strings.Contains(err.Error(), "not a switchboard one") || !strings.Contains(err.Error(), "store.dsn") {
		t.Fatalf("foreign database: %v", err)
	}
	_, err = Open(ctx, Config{Driver: DriverPostgres, DSN: "postgres://sb:hunter2@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"}, nil)
	if err == nil || !strings.Contains(err.Error(), "store.dsn") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("unreachable: %v", err)
	}
}
