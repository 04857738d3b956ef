//! The seeded text: a fixed pseudo-random sequence and the words the stories are made of.

/// A small, fixed pseudo-random sequence (a linear congruential generator).
pub(super) struct Dice(u64);

impl Dice {
    pub(super) fn new(seed: usize) -> Self {
        Dice((seed as u64).wrapping_mul(6_364_136_223_846_793_005) ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
    pub(super) fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

pub(super) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// How many distinct jobs the changes come from (each on one of the systems).
pub(super) const JOBS: usize = 300;

pub(super) const SERVICES: [&str; 40] = [
    "Login",
    "Checkout",
    "Search",
    "Payments API",
    "Billing",
    "Notifications",
    "Email delivery",
    "Mobile API",
    "Web frontend",
    "Catalogue",
    "Inventory",
    "Recommendations",
    "Reporting",
    "Data warehouse",
    "Identity",
    "Single sign-on",
    "File uploads",
    "Image resizing",
    "Video transcoding",
    "Messaging",
    "Webhooks",
    "Public API",
    "Partner API",
    "Admin console",
    "Customer support tools",
    "Status page",
    "DNS",
    "CDN",
    "Load balancers",
    "Kafka",
    "Postgres primary",
    "Redis cache",
    "Elasticsearch",
    "Object storage",
    "Scheduler",
    "Feature flags",
    "Audit log",
    "Exports",
    "Invoicing",
    "Fraud checks",
];

pub(super) const SYSTEMS: [&str; 24] = [
    "Jenkins",
    "GitHub Actions",
    "Argo CD",
    "Spinnaker",
    "Terraform",
    "Chef",
    "Ansible",
    "Puppet",
    "Kubernetes",
    "Helm",
    "Flyway",
    "Liquibase",
    "LaunchDarkly",
    "Consul",
    "Vault",
    "AWS console",
    "Cloudflare",
    "Nomad",
    "Rundeck",
    "Buildkite",
    "GitLab CI",
    "CircleCI",
    "Salt",
    "Pulumi",
];

pub(super) const JOB_VERBS: [&str; 14] = [
    "deploy",
    "restart",
    "migrate",
    "rotate-certs",
    "scale",
    "rollback",
    "reindex",
    "backfill",
    "purge-cache",
    "rebalance",
    "upgrade",
    "vacuum",
    "failover",
    "sync-config",
];

pub(super) const SYMPTOMS: [&str; 12] = [
    "returned errors to most customers",
    "timed out for about a third of requests",
    "was unavailable",
    "served stale data",
    "dropped messages",
    "was slow for everyone in Europe",
    "rejected valid sessions",
    "double-charged some customers",
    "stopped processing its queue",
    "ran out of database connections",
    "filled its disks",
    "lost its cache",
];

pub(super) const CAUSES: [&str; 12] = [
    "a deploy with a missing environment variable",
    "a restart of every server at once",
    "a certificate expired",
    "a schema migration locked a hot table",
    "a feature flag was turned on for everyone",
    "a config push with the wrong region",
    "a dependency upgrade changed a default",
    "a cache purge during peak traffic",
    "a scaling job removed too many instances",
    "a DNS record was replaced",
    "a failover that did not fail back",
    "a cron job ran twice",
];

pub(super) const CONSEQUENCES: [&str; 8] = [
    "every instance restarted at the same moment, so nothing was left to serve traffic",
    "the new default concurrency was far higher than the old one",
    "the migration held a lock that every write waited behind",
    "the cache came back empty and the database could not take the load",
    "the health check passed while the service could not reach its database",
    "retries from every client multiplied the load tenfold",
    "the rollout reached production before the canary had reported",
    "the job treated an empty search as every server",
];

pub(super) const CONTEXT: [&str; 8] = [
    "The change had been reviewed and tried in staging, where it behaved",
    "The runbook for this job was last updated two years ago",
    "The alert fired, but to a channel nobody was watching that morning",
    "Nobody had run this job against production since the team was reorganised",
    "The dashboards showed the error rate, not the share of customers affected",
    "A similar incident last year had a follow-up to add a confirmation step, still open",
    "The on-call engineer was new to this service and asked for help early",
    "Load was twice the usual because of a marketing campaign",
];

pub(super) const SEVERITY_REASONS: [&str; 4] = [
    "A core function was lost for many customers while it lasted.",
    "Customers noticed, but there was a workaround.",
    "Internal users only; no customer saw it.",
    "Short and partial, but it touched payments.",
];

pub(super) const ROLES: [&str; 10] = [
    "on-call engineer",
    "engineer running the change",
    "incident commander",
    "database administrator",
    "support lead",
    "platform engineer",
    "Jenkins",
    "the monitoring system",
    "release manager",
    "customer support",
];

pub(super) const TIMELINE_OPENINGS: [&str; 10] = [
    "pages the on-call engineer:",
    "notices in the dashboards that",
    "posts in the incident channel that",
    "confirms from the logs that",
    "decides to roll back because",
    "starts the job; it reports that",
    "asks the database team to check whether",
    "tells customer support that",
    "sees the error rate drop as",
    "writes in the status page that",
];

pub(super) const TIMELINE_MIDDLES: [&str; 10] = [
    "the error rate on the load balancers is above 30%",
    "every instance restarted within the same minute",
    "connections to the primary are exhausted",
    "the queue depth keeps growing",
    "requests from Europe time out after 30 seconds",
    "the canary never reported its health",
    "the certificate on the edge expired at midnight UTC",
    "the new configuration points at the wrong region",
    "the cache hit rate fell to zero",
    "retries from the mobile apps doubled the traffic",
];

pub(super) const TIMELINE_ENDINGS: [&str; 8] = [
    "Nobody is paged yet.",
    "The team agrees to wait for the job to finish.",
    "Customers start reporting it on social media.",
    "The graphs recover within two minutes.",
    "The runbook does not cover this case.",
    "A second engineer joins the call.",
    "The change is paused for the rest of the day.",
    "Support posts a holding reply.",
];

pub(super) const WENT_WELL: [&str; 6] = [
    "The engineer who made the change said so at once, so nobody hunted for the cause.",
    "The alert fired within two minutes.",
    "Rolling back took one command and worked the first time.",
    "Support had a holding reply out before customers asked.",
    "The runbook was accurate and easy to follow.",
    "Experts on the service were at hand and confirmed the recovery.",
];

pub(super) const WENT_WRONG: [&str; 6] = [
    "A field left empty silently meant every server at once.",
    "Nothing asked for confirmation before touching production.",
    "The dashboards showed averages that hid the failing region.",
    "The change's review covered the steps, not the parameters.",
    "The alert went to a channel nobody watched.",
    "The rollback needed a person with rights who was asleep.",
];

pub(super) const LUCKY: [&str; 4] = [
    "It happened at the quietest hour of the week.",
    "Every instance came back on its own.",
    "The engineer who knew the job was still online.",
    "The payment provider retried the failed charges.",
];

pub(super) const CHANGE_VERBS: [&str; 5] =
    ["Ran", "Deployed", "Rolled out", "Scheduled", "Triggered"];

pub(super) const FOLLOW_UP_VERBS: [&str; 6] = [
    "Make safe the default of",
    "Add a confirmation step to",
    "Alert on the error rate of",
    "Document the recovery of",
    "Add a canary stage to",
    "Limit the concurrency of",
];

pub(super) const FOLLOW_UP_OBJECTS: [&str; 8] = [
    "the generic run-command job",
    "the deploy pipeline",
    "the schema migrations",
    "the certificate rotation",
    "the cache purge job",
    "the scaling policy",
    "the DNS changes",
    "the nightly backfill",
];

pub(super) const FIRST_NAMES: [&str; 10] = [
    "Ada", "Grace", "Alan", "Barbara", "Edsger", "Frances", "Donald", "Margaret", "Ken", "Radia",
];
pub(super) const LAST_NAMES: [&str; 10] = [
    "Lovelace", "Hopper", "Turing", "Liskov", "Dijkstra", "Allen", "Knuth", "Hamilton", "Thompson",
    "Perlman",
];
