//! The client's address for throttling and logs: the TCP peer, unless the peer is a configured
//! trusted proxy — then the right-most `X-Forwarded-For` entry that is not itself a trusted proxy
//! (what the proxy saw). A client cannot choose its address by sending the header itself.

use std::net::IpAddr;

use actix_web::HttpRequest;
use ipnet::IpNet;

/// Pure: the client address from the peer, the header and the trusted proxies.
pub fn client_addr(peer: Option<IpAddr>, forwarded_for: Option<&str>, trusted: &[IpNet]) -> Option<IpAddr> {
    let is_trusted = |a: &IpAddr| trusted.iter().any(|n| n.contains(a));
    let peer = peer?;
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let Some(header) = forwarded_for else { return Some(peer) };
    let mut last = peer;
    for entry in header.rsplit(',') {
        let Ok(addr) = entry.trim().parse::<IpAddr>() else {
            // An unreadable entry: the last trusted hop is as far as we can tell.
            return Some(last);
        };
        if !is_trusted(&addr) {
            return Some(addr);
        }
        last = addr;
    }
    Some(last)
}

/// The request's client address as text (`unknown` without a peer).
pub fn client_ip(req: &HttpRequest) -> String {
    let trusted =
        req.app_data::<actix_web::web::Data<crate::state::AppState>>().map(|s| s.settings.trusted_proxies.clone()).unwrap_or_default();
    let header = req.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok());
    client_addr(req.peer_addr().map(|a| a.ip()), header, &trusted).map_or_else(|| "unknown".into(), |a| a.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/24".parse().unwrap()];
        assert_eq!(client_addr(Some(ip("203.0.113.9")), Some("1.2.3.4"), &proxies), Some(ip("203.0.113.9")));
        assert_eq!(client_addr(Some(ip("10.0.0.5")), Some("1.2.3.4"), &proxies), Some(ip("1.2.3.4")));
        assert_eq!(client_addr(Some(ip("10.0.0.5")), None, &proxies), Some(ip("10.0.0.5")));
        assert_eq!(client_addr(Some(ip("10.0.0.5")), Some("1.2.3.4"), &[]), Some(ip("10.0.0.5")));
    }

    #[test]
    fn a_client_cannot_prepend_its_own_entries() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/24".parse().unwrap()];
        // The client sent "6.6.6.6"; the proxy appended what it saw.
        assert_eq!(client_addr(Some(ip("10.0.0.5")), Some("6.6.6.6, 198.51.100.7"), &proxies), Some(ip("198.51.100.7")));
        // Two proxies in a row.
        assert_eq!(client_addr(Some(ip("10.0.0.5")), Some("198.51.100.7, 10.0.0.6"), &proxies), Some(ip("198.51.100.7")));
        assert_eq!(client_addr(Some(ip("10.0.0.5")), Some("garbage, 10.0.0.6"), &proxies), Some(ip("10.0.0.6")));
    }
}
