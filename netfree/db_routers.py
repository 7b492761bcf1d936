"""Optional read replica: with DATABASE_REPLICA_URL set, reads go to the replica.

Writes, migrations and the transactions of the admin stay on the primary. Use a replica with
synchronous or near-synchronous replication: an editor reads the admin from the replica too, so
a long replication lag would show them an older version of what they just saved (the edit
conflict check reads with SELECT ... FOR UPDATE, which always goes to the primary).
"""


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
