#include "pactum/domain/tenancy.h"

#include <nlohmann/json.hpp>

#include "pactum/domain/audit_log.h"
#include "pactum/domain/authorization.h"
#include "pactum/domain/secret_token.h"
#include "pactum/domain/transaction.h"

namespace pactum::domain {
namespace {

bool is_privileged(Role role) { return role == Role::kOwner || role == Role::kAdmin; }

DomainResult<Enterprise> read_enterprise(const store::Row& row) {
  auto id = row.text(0);
  auto parent = row.optional_text(1);
  auto name = row.text(2);
  if (!id || !parent || !name) {
    return refuse(DomainErrorCode::kInternal, "unreadable enterprise row");
  }
  return Enterprise{std::move(*id), std::move(*parent), std::move(*name)};
}

DomainResult<std::vector<Enterprise>> read_enterprises(Result<std::vector<store::Row>> rows) {
  if (!rows) {
    return internal("reading enterprises", rows.error());
  }
  std::vector<Enterprise> out;
  for (const store::Row& row : *rows) {
    auto enterprise = read_enterprise(row);
    if (!enterprise) {
      return std::unexpected(enterprise.error());
    }
    out.push_back(std::move(*enterprise));
  }
  return out;
}

DomainResult<Enterprise> insert_enterprise(const Services& services, store::Executor& executor,
                                           std::optional<std::string> parent_id,
                                           std::string_view name) {
  if (auto valid = check_name(name, "name"); !valid) {
    return std::unexpected(valid.error());
  }
  auto id = new_public_id("ent_");
  if (!id) {
    return std::unexpected(id.error());
  }
  auto inserted = executor.execute(
      "INSERT INTO enterprises (id, parent_id, name, created_at) VALUES (?, ?, ?, ?)",
      {*id, parent_id, name, unix_seconds(services.clock())});
  if (!inserted) {
    return internal("creating an enterprise", inserted.error());
  }
  return Enterprise{*id, std::move(parent_id), std::string(name)};
}

// load_member reads one membership; nullopt if user_id is not a member of enterprise_id.
DomainResult<std::optional<Member>> load_member(const Services& services,
                                                store::Executor& executor,
                                                std::string_view enterprise_id,
                                                std::string_view user_id) {
  auto row = executor.query_optional(
      "SELECT role, department_id FROM members WHERE enterprise_id = ? AND user_id = ?",
      {enterprise_id, user_id});
  if (!row) {
    return internal("reading a membership", row.error());
  }
  if (!*row) {
    return std::optional<Member>();
  }
  auto role_text = (*row)->text(0);
  auto department = (*row)->optional_text(1);
  if (!role_text || !department || !parse_role(*role_text)) {
    return refuse(DomainErrorCode::kInternal, "unreadable membership row");
  }
  auto user = load_user(services, executor, user_id);
  if (!user) {
    return std::unexpected(user.error());
  }
  return std::optional<Member>(Member{std::string(enterprise_id), std::move(*user),
                                      *parse_role(*role_text), std::move(*department)});
}

// check_department returns kInvalidInput unless department_id belongs to enterprise_id.
DomainStatus check_department(store::Executor& executor, std::string_view enterprise_id,
                              std::string_view department_id) {
  auto row = executor.query_optional(
      "SELECT 1 FROM departments WHERE id = ? AND enterprise_id = ?",
      {department_id, enterprise_id});
  if (!row) {
    return internal("reading a department", row.error());
  }
  if (!*row) {
    return refuse(DomainErrorCode::kInvalidInput, "no such department in this enterprise");
  }
  return {};
}

DomainResult<std::int64_t> count_owners(store::Executor& executor,
                                        std::string_view enterprise_id) {
  auto row = executor.query_one(
      "SELECT COUNT(*) FROM members WHERE enterprise_id = ? AND role = 'owner'", {enterprise_id});
  if (!row) {
    return internal("counting owners", row.error());
  }
  auto count = row->int64(0);
  if (!count) {
    return internal("counting owners", count.error());
  }
  return *count;
}

std::string role_detail(Role role) {
  return nlohmann::json{{"role", role_name(role)}}.dump();
}

}  // namespace

DomainResult<Enterprise> create_enterprise(const Services& services, const Actor& actor,
                                           std::string_view name, const Origin& origin) {
  if (actor.kind != ActorKind::kUser) {
    return refuse(DomainErrorCode::kForbidden, "API apps cannot create enterprises");
  }
  return run_in_transaction(services.database, [&](store::Transaction& tx) -> DomainResult<Enterprise> {
    auto enterprise = insert_enterprise(services, tx, std::nullopt, name);
    if (!enterprise) {
      return enterprise;
    }
    auto member = tx.execute(
        "INSERT INTO members (enterprise_id, user_id, role, department_id, created_at) "
        "VALUES (?, ?, 'owner', NULL, ?)",
        {enterprise->id, actor.id, unix_seconds(services.clock())});
    if (!member) {
      return internal("making the creator the owner", member.error());
    }
    if (auto audited = audit_change(tx, services, actor, origin, enterprise->id,
                                    "enterprise.create", "enterprise", enterprise->id);
        !audited) {
      return std::unexpected(audited.error());
    }
    return enterprise;
  });
}

DomainResult<Enterprise> create_subsidiary(const Services& services, const Actor& actor,
                                           std::string_view parent_id, std::string_view name,
                                           const Origin& origin) {
  return run_in_transaction(services.database, [&](store::Transaction& tx) -> DomainResult<Enterprise> {
    if (auto allowed = authorize(services, tx, actor, parent_id, Permission::kManageEnterprise); !allowed) {
      return std::unexpected(allowed.error());
    }
    auto lineage = load_lineage(tx, parent_id);
    if (!lineage) {
      return std::unexpected(lineage.error());
    }
    if (lineage->size() >= kMaxGroupDepth) {
      return refuse(DomainErrorCode::kConflict, "subsidiaries may not nest deeper");
    }
    auto enterprise = insert_enterprise(services, tx, std::string(parent_id), name);
    if (!enterprise) {
      return enterprise;
    }
    if (auto audited = audit_change(tx, services, actor, origin, std::string(parent_id),
                                    "enterprise.create_subsidiary", "enterprise",
                                    enterprise->id);
        !audited) {
      return std::unexpected(audited.error());
    }
    return enterprise;
  });
}

DomainResult<Enterprise> get_enterprise(const Services& services, const Actor& actor,
                                        std::string_view enterprise_id) {
  return with_connection(services.database,
                         [&](store::Connection& connection) -> DomainResult<Enterprise> {
    if (auto allowed = authorize(services, connection, actor, enterprise_id, Permission::kViewEnterprise);
        !allowed) {
      return std::unexpected(allowed.error());
    }
    auto row = connection.query_one("SELECT id, parent_id, name FROM enterprises WHERE id = ?",
                                    {enterprise_id});
    if (!row) {
      return internal("reading an enterprise", row.error());
    }
    return read_enterprise(*row);
  });
}

DomainResult<std::vector<Enterprise>> list_enterprises(const Services& services,
                                                       const Actor& actor) {
  return with_connection(services.database,
                         [&](store::Connection& connection) -> DomainResult<std::vector<Enterprise>> {
    if (actor.kind == ActorKind::kApp) {
      return read_enterprises(connection.query(
          "SELECT id, parent_id, name FROM enterprises WHERE id = ?", {actor.app_enterprise_id}));
    }
    return read_enterprises(connection.query(
        "SELECT e.id, e.parent_id, e.name FROM enterprises e JOIN members m "
        "ON m.enterprise_id = e.id WHERE m.user_id = ? ORDER BY e.id",
        {actor.id}));
  });
}

DomainResult<std::vector<Enterprise>> list_subsidiaries(const Services& services,
                                                        const Actor& actor,
                                                        std::string_view enterprise_id) {
  return with_connection(services.database,
                         [&](store::Connection& connection) -> DomainResult<std::vector<Enterprise>> {
    if (auto allowed = authorize(services, connection, actor, enterprise_id, Permission::kViewEnterprise);
        !allowed) {
      return std::unexpected(allowed.error());
    }
    return read_enterprises(connection.query(
        "SELECT id, parent_id, name FROM enterprises WHERE parent_id = ? ORDER BY id",
        {enterprise_id}));
  });
}

DomainResult<Member> add_member(const Services& services, const Actor& actor,
                                std::string_view enterprise_id, const NewMember& member,
                                const Origin& origin) {
  auto login = normalise_login(member.login);
  if (!login) {
    return std::unexpected(login.error());
  }
  return run_in_transaction(services.database, [&](store::Transaction& tx) -> DomainResult<Member> {
    if (auto allowed = authorize(services, tx, actor, enterprise_id, Permission::kManageMembers); !allowed) {
      return std::unexpected(allowed.error());
    }
    if (is_privileged(member.role)) {
      if (auto allowed = authorize(services, tx, actor, enterprise_id, Permission::kGrantPrivileged);
          !allowed) {
        return std::unexpected(allowed.error());
      }
    }
    if (member.department_id) {
      if (auto ok = check_department(tx, enterprise_id, *member.department_id); !ok) {
        return std::unexpected(ok.error());
      }
    }
    auto existing = find_user_id(services, tx, *login);
    if (!existing) {
      return std::unexpected(existing.error());
    }
    std::string user_id;
    if (*existing) {
      user_id = **existing;
    } else {
      if (!member.name || !member.password) {
        return refuse(DomainErrorCode::kInvalidInput,
                      "no account has this login yet: give name and password to create one");
      }
      auto created = create_user(services, tx,
                                 NewUser{member.login, *member.name, *member.password,
                                         member.id_number});
      if (!created) {
        return std::unexpected(created.error());
      }
      user_id = created->id;
    }
    auto inserted = tx.execute(
        "INSERT INTO members (enterprise_id, user_id, role, department_id, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        {enterprise_id, user_id, role_name(member.role), member.department_id,
         unix_seconds(services.clock())});
    if (!inserted) {
      if (inserted.error().code == ErrorCode::kConflict) {
        return refuse(DomainErrorCode::kConflict, "already a member of this enterprise");
      }
      return internal("adding a member", inserted.error());
    }
    if (auto audited = audit_change(tx, services, actor, origin, std::string(enterprise_id),
                                    "member.add", "member", user_id, role_detail(member.role));
        !audited) {
      return std::unexpected(audited.error());
    }
    auto added = load_member(services, tx, enterprise_id, user_id);
    if (!added) {
      return std::unexpected(added.error());
    }
    return std::move(**added);
  });
}

DomainResult<std::vector<Member>> list_members(const Services& services, const Actor& actor,
                                               std::string_view enterprise_id) {
  return with_connection(services.database,
                         [&](store::Connection& connection) -> DomainResult<std::vector<Member>> {
    if (auto allowed = authorize(services, connection, actor, enterprise_id, Permission::kViewMembers);
        !allowed) {
      return std::unexpected(allowed.error());
    }
    auto rows = connection.query(
        "SELECT user_id FROM members WHERE enterprise_id = ? ORDER BY user_id", {enterprise_id});
    if (!rows) {
      return internal("listing members", rows.error());
    }
    std::vector<Member> members;
    for (const store::Row& row : *rows) {
      auto user_id = row.text(0);
      if (!user_id) {
        return internal("listing members", user_id.error());
      }
      auto member = load_member(services, connection, enterprise_id, *user_id);
      if (!member) {
        return std::unexpected(member.error());
      }
      if (*member) {
        members.push_back(std::move(**member));
      }
    }
    return members;
  });
}

DomainResult<Member> update_member(const Services& services, const Actor& actor,
                                   std::string_view enterprise_id, std::string_view user_id,
                                   const MemberChange& change, const Origin& origin) {
  return run_in_transaction(services.database, [&](store::Transaction& tx) -> DomainResult<Member> {
    if (auto allowed = authorize(services, tx, actor, enterprise_id, Permission::kManageMembers); !allowed) {
      return std::unexpected(allowed.error());
    }
    auto current = load_member(services, tx, enterprise_id, user_id);
    if (!current) {
      return std::unexpected(current.error());
    }
    if (!*current) {
      return refuse(DomainErrorCode::kNotFound, "no such member");
    }
    Member next = **current;
    if (change.role && *change.role != next.role) {
      if (is_privileged(*change.role) || is_privileged(next.role)) {
        if (auto allowed = authorize(services, tx, actor, enterprise_id, Permission::kGrantPrivileged);
            !allowed) {
          return std::unexpected(allowed.error());
        }
      }
      if (next.role == Role::kOwner) {
        auto owners = count_owners(tx, enterprise_id);
        if (!owners) {
          return std::unexpected(owners.error());
        }
        if (*owners <= 1) {
          return refuse(DomainErrorCode::kConflict, "an enterprise keeps at least one owner");
        }
      }
      next.role = *change.role;
    }
    if (change.department_id) {
      if (change.department_id->empty()) {
        next.department_id.reset();
      } else {
        if (auto ok = check_department(tx, enterprise_id, *change.department_id); !ok) {
          return std::unexpected(ok.error());
        }
        next.department_id = *change.department_id;
      }
    }
    auto updated = tx.execute(
        "UPDATE members SET role = ?, department_id = ? WHERE enterprise_id = ? AND user_id = ?",
        {role_name(next.role), next.department_id, enterprise_id, user_id});
    if (!updated) {
      return internal("updating a member", updated.error());
    }
    if (auto audited = audit_change(tx, services, actor, origin, std::string(enterprise_id),
                                    "member.update", "member", std::string(user_id),
                                    role_detail(next.role));
        !audited) {
      return std::unexpected(audited.error());
    }
    return next;
  });
}

DomainStatus remove_member(const Services& services, const Actor& actor,
                           std::string_view enterprise_id, std::string_view user_id,
                           const Origin& origin) {
  return run_in_transaction(services.database, [&](store::Transaction& tx) -> DomainStatus {
    if (auto allowed = authorize(services, tx, actor, enterprise_id, Permission::kManageMembers); !allowed) {
      return allowed;
    }
    auto current = load_member(services, tx, enterprise_id, user_id);
    if (!current) {
      return std::unexpected(current.error());
    }
    if (!*current) {
      return refuse(DomainErrorCode::kNotFound, "no such member");
    }
    if (is_privileged((*current)->role)) {
      if (auto allowed = authorize(services, tx, actor, enterprise_id, Permission::kGrantPrivileged);
          !allowed) {
        return allowed;
      }
    }
    if ((*current)->role == Role::kOwner) {
      auto owners = count_owners(tx, enterprise_id);
      if (!owners) {
        return std::unexpected(owners.error());
      }
      if (*owners <= 1) {
        return refuse(DomainErrorCode::kConflict, "an enterprise keeps at least one owner");
      }
    }
    auto removed = tx.execute("DELETE FROM members WHERE enterprise_id = ? AND user_id = ?",
                              {enterprise_id, user_id});
    if (!removed) {
      return internal("removing a member", removed.error());
    }
    return audit_change(tx, services, actor, origin, std::string(enterprise_id), "member.remove",
                        "member", std::string(user_id));
  });
}

DomainResult<Department> create_department(const Services& services, const Actor& actor,
                                           std::string_view enterprise_id, std::string_view name,
                                           const Origin& origin) {
  if (auto valid = check_name(name, "name"); !valid) {
    return std::unexpected(valid.error());
  }
  return run_in_transaction(services.database, [&](store::Transaction& tx) -> DomainResult<Department> {
    if (auto allowed = authorize(services, tx, actor, enterprise_id, Permission::kManageDepartments);
        !allowed) {
      return std::unexpected(allowed.error());
    }
    auto id = new_public_id("dep_");
    if (!id) {
      return std::unexpected(id.error());
    }
    auto inserted = tx.execute(
        "INSERT INTO departments (id, enterprise_id, name, created_at) VALUES (?, ?, ?, ?)",
        {*id, enterprise_id, name, unix_seconds(services.clock())});
    if (!inserted) {
      if (inserted.error().code == ErrorCode::kConflict) {
        return refuse(DomainErrorCode::kConflict, "a department with this name exists");
      }
      return internal("creating a department", inserted.error());
    }
    if (auto audited = audit_change(tx, services, actor, origin, std::string(enterprise_id),
                                    "department.create", "department", *id);
        !audited) {
      return std::unexpected(audited.error());
    }
    return Department{*id, std::string(enterprise_id), std::string(name)};
  });
}

DomainResult<std::vector<Department>> list_departments(const Services& services,
                                                       const Actor& actor,
                                                       std::string_view enterprise_id) {
  return with_connection(services.database,
                         [&](store::Connection& connection) -> DomainResult<std::vector<Department>> {
    if (auto allowed = authorize(services, connection, actor, enterprise_id, Permission::kViewMembers);
        !allowed) {
      return std::unexpected(allowed.error());
    }
    auto rows = connection.query(
        "SELECT id, name FROM departments WHERE enterprise_id = ? ORDER BY name",
        {enterprise_id});
    if (!rows) {
      return internal("listing departments", rows.error());
    }
    std::vector<Department> out;
    for (const store::Row& row : *rows) {
      auto id = row.text(0);
      auto name = row.text(1);
      if (!id || !name) {
        return refuse(DomainErrorCode::kInternal, "unreadable department row");
      }
      out.push_back({std::move(*id), std::string(enterprise_id), std::move(*name)});
    }
    return out;
  });
}

}  // namespace pactum::domain
