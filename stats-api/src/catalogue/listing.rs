//! What clients see of the catalogue (`GET /v1/stats`): the contract's types, never the SQL.

use serde_json::json;
use stats_contract::{ParamInfo, ParamType, StatInfo};

use super::{Catalogue, Param, ParamKind, Stat, date_bounds};

impl From<&Catalogue> for stats_contract::Catalogue {
    fn from(catalogue: &Catalogue) -> Self {
        stats_contract::Catalogue {
            stats: catalogue.stats.iter().map(StatInfo::from).collect(),
        }
    }
}

impl From<&Stat> for StatInfo {
    fn from(stat: &Stat) -> Self {
        StatInfo {
            name: stat.name.clone(),
            title: stat.title.clone(),
            description: stat.description.clone(),
            display: stat.display,
            response_type: stat.response_type,
            cache_seconds: Some(stat.cache_ttl.as_secs()),
            params: stat.params.iter().map(ParamInfo::from).collect(),
        }
    }
}

impl From<&Param> for ParamInfo {
    fn from(param: &Param) -> Self {
        let mut info = ParamInfo {
            name: param.name.clone(),
            kind: ParamType::Integer,
            description: param.description.clone(),
            default: param.default().map(|d| d.to_json()),
            min: None,
            max: None,
            allowed: None,
            max_length: None,
        };
        match &param.kind {
            ParamKind::Integer { min, max, .. } => {
                info.min = min.map(|m| json!(m));
                info.max = max.map(|m| json!(m));
            }
            ParamKind::Date { min, max, .. } => {
                // The bounds as enforced: the database's range when none is declared.
                let (lo, hi) = date_bounds(*min, *max);
                info.kind = ParamType::Date;
                info.min = Some(json!(lo.to_string()));
                info.max = Some(json!(hi.to_string()));
            }
            ParamKind::String {
                allowed,
                max_length,
                ..
            } => {
                info.kind = ParamType::String;
                info.allowed = (!allowed.is_empty()).then(|| allowed.clone());
                info.max_length = Some(*max_length);
            }
            ParamKind::Boolean { .. } => info.kind = ParamType::Boolean,
        }
        info
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{SIGNUPS, one};

    #[test]
    fn the_public_description_has_no_sql() {
        let c = one(SIGNUPS).unwrap();
        let text = serde_json::to_string(&stats_contract::Catalogue::from(&c)).unwrap();
        assert!(!text.contains("SELECT"), "{text}");
        assert!(text.contains("\"max\":120"), "{text}");
    }
}
