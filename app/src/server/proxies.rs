//! Which TCP peers are trusted reverse proxies (`DEBRIEF_TRUSTED_PROXIES`), and the address a
//! request came from when it passed through them.
//!
//! Forwarded headers are only believed when the peer itself is a trusted proxy; then the client
//! is the right-most address in `X-Forwarded-For` that is not a trusted proxy (each proxy
//! appends the address it saw, so everything to the left of that entry was written by the
//! client and may be forged).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use ipnet::IpNet;

/// The networks whose connections may tell Debrief the client's address. Empty (the default)
/// means no forwarded header is believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Arc<[IpNet]>);

impl TrustedProxies {
    /// Parses a comma-separated list of IP addresses and CIDR ranges, such as
    /// `10.0.0.0/8, 192.168.1.5, ::1`. Blank entries are ignored.
    ///
    /// # Errors
    /// Naming the first entry that is neither an address nor a range.
    pub fn parse(list: &str) -> Result<Self, String> {
        let networks = list
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .map(|net| net.trunc())
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!("{entry:?} is not an IP address or a CIDR range such as 10.0.0.0/8")
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrustedProxies(networks.into()))
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `addr` is one of the trusted proxies.
    pub fn trusts(&self, addr: IpAddr) -> bool {
        let addr = addr.to_canonical();
        self.0.iter().any(|net| net.contains(&addr))
    }

    /// The client's address: the TCP peer, unless the peer is a trusted proxy; then the
    /// right-most untrusted entry of `X-Forwarded-For` (all its headers, in order). An entry
    /// that is not an address stops the walk at the trusted hop to its right; when every entry
    /// is trusted, the left-most one is the client.
    pub fn client_address(&self, peer: IpAddr, headers: &http::HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops: Vec<Option<IpAddr>> = headers
            .get_all("x-forwarded-for")
            .iter()
            .flat_map(|value| match value.to_str() {
                Ok(text) => text.split(',').map(parse_hop).collect::<Vec<_>>(),
                Err(_) => vec![None],
            })
            .collect();
        for hop in hops.into_iter().rev() {
            let Some(addr) = hop else {
                return client;
            };
            client = addr;
            if !self.trusts(addr) {
                return addr;
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5678`, `[::1]:80`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .or_else(|_| hop.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .map(|addr| addr.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(values: &[&str]) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn addresses_and_ranges_parse_and_anything_else_is_named() {
        let proxies = TrustedProxies::parse(" 10.0.0.0/8, 192.168.1.5 ,, ::1, fd00::/8").unwrap();
        assert!(proxies.trusts(ip("10.1.2.3")));
        assert!(proxies.trusts(ip("192.168.1.5")));
        assert!(!proxies.trusts(ip("192.168.1.6")));
        assert!(proxies.trusts(ip("::1")));
        assert!(proxies.trusts(ip("fd12::1")));
        assert!(
            proxies.trusts(ip("::ffff:10.9.9.9")),
            "an IPv4 peer seen on an IPv6 socket"
        );
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        let e = TrustedProxies::parse("10.0.0.1, proxy.internal").unwrap_err();
        assert!(e.contains("\"proxy.internal\""), "{e}");
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
    }

    #[test]
    fn without_trusted_proxies_forwarded_headers_are_ignored() {
        let headers = forwarded(&["203.0.113.9"]);
        let none = TrustedProxies::default();
        assert_eq!(
            none.client_address(ip("127.0.0.1"), &headers),
            ip("127.0.0.1")
        );
        let other = TrustedProxies::parse("10.0.0.1").unwrap();
        assert_eq!(
            other.client_address(ip("127.0.0.1"), &headers),
            ip("127.0.0.1"),
            "the peer is not the trusted proxy"
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_entry_is_the_client() {
        let proxies = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        let peer = ip("127.0.0.1");
        let client = |values: &[&str]| proxies.client_address(peer, &forwarded(values));
        assert_eq!(client(&["203.0.113.9"]), ip("203.0.113.9"));
        assert_eq!(
            client(&["6.6.6.6, 203.0.113.9, 10.0.0.2"]),
            ip("203.0.113.9"),
            "a forged left-most entry is not believed"
        );
        assert_eq!(
            client(&["6.6.6.6", "203.0.113.9:4711"]),
            ip("203.0.113.9"),
            "several headers in order, with a port"
        );
        assert_eq!(
            client(&["not-an-address, 10.0.0.2"]),
            ip("10.0.0.2"),
            "garbage stops at the trusted hop that passed it on"
        );
        assert_eq!(client(&["10.0.0.3, 10.0.0.2"]), ip("10.0.0.3"));
        assert_eq!(client(&[]), peer, "no header: the proxy itself");
    }
}
