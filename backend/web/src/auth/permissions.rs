//! Permissions are data (`role_permission`), loaded at start-up; this is the one place they are checked.

use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    PersonRead,
    PersonWrite,
    PersonRevealId,
    EmployerRead,
    EmployerWrite,
    EmploymentWrite,
    AuditRead,
    UserAdmin,
    TenantAdmin,
    StatsProvince,
    FinanceRead,
    EnrolmentWrite,
    ContributionRead,
    AssessmentRun,
    AssessmentReopen,
    CollectionWrite,
    ImportRun,
    BenefitPropose,
    BenefitApprove,
    PaymentRun,
    ReconciliationRun,
    TransferRequest,
    TransferProcess,
    TransferApprove,
    LabourWrite,
    BenefitRevealAccount,
    InjuryRateDecide,
    CatalogueImport,
}

impl Permission {
    pub const ALL: [Permission; 28] = [
        Permission::PersonRead,
        Permission::PersonWrite,
        Permission::PersonRevealId,
        Permission::EmployerRead,
        Permission::EmployerWrite,
        Permission::EmploymentWrite,
        Permission::AuditRead,
        Permission::UserAdmin,
        Permission::TenantAdmin,
        Permission::StatsProvince,
        Permission::FinanceRead,
        Permission::EnrolmentWrite,
        Permission::ContributionRead,
        Permission::AssessmentRun,
        Permission::AssessmentReopen,
        Permission::CollectionWrite,
        Permission::ImportRun,
        Permission::BenefitPropose,
        Permission::BenefitApprove,
        Permission::PaymentRun,
        Permission::ReconciliationRun,
        Permission::TransferRequest,
        Permission::TransferProcess,
        Permission::TransferApprove,
        Permission::LabourWrite,
        Permission::BenefitRevealAccount,
        Permission::InjuryRateDecide,
        Permission::CatalogueImport,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Permission::PersonRead => "person.read",
            Permission::PersonWrite => "person.write",
            Permission::PersonRevealId => "person.reveal_id",
            Permission::EmployerRead => "employer.read",
            Permission::EmployerWrite => "employer.write",
            Permission::EmploymentWrite => "employment.write",
            Permission::AuditRead => "audit.read",
            Permission::UserAdmin => "user.admin",
            Permission::TenantAdmin => "tenant.admin",
            Permission::StatsProvince => "stats.province",
            Permission::FinanceRead => "finance.read",
            Permission::EnrolmentWrite => "enrolment.write",
            Permission::ContributionRead => "contribution.read",
            Permission::AssessmentRun => "assessment.run",
            Permission::AssessmentReopen => "assessment.reopen",
            Permission::CollectionWrite => "collection.write",
            Permission::ImportRun => "import.run",
            Permission::BenefitPropose => "benefit.propose",
            Permission::BenefitApprove => "benefit.approve",
            Permission::PaymentRun => "payment.run",
            Permission::ReconciliationRun => "reconciliation.run",
            Permission::TransferRequest => "transfer.request",
            Permission::TransferProcess => "transfer.process",
            Permission::TransferApprove => "transfer.approve",
            Permission::LabourWrite => "labour.write",
            Permission::BenefitRevealAccount => "benefit.reveal_account",
            Permission::InjuryRateDecide => "injury_rate.decide",
            Permission::CatalogueImport => "catalogue.import",
        }
    }

    pub fn parse(code: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.code() == code)
    }
}

pub const ROLES: [&str; 7] = ["clerk", "reviewer", "city_admin", "province_supervisor", "platform_admin", "finance_viewer", "auditor"];

/// role → permissions.
#[derive(Debug, Clone, Default)]
pub struct PermissionMap(HashMap<String, HashSet<Permission>>);

impl PermissionMap {
    pub fn from_rows(rows: HashMap<String, Vec<String>>) -> PermissionMap {
        PermissionMap(rows.into_iter().map(|(role, perms)| (role, perms.iter().filter_map(|p| Permission::parse(p)).collect())).collect())
    }

    /// Everything the given roles allow.
    pub fn granted(&self, roles: &[String]) -> HashSet<Permission> {
        roles.iter().filter_map(|r| self.0.get(r)).flatten().copied().collect()
    }
}
