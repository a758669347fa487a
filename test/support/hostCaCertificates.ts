// This machine's extra CAs (its egress CA): what a user behind a proxy would pass as
// `extraCaCertificates`. Never the whole bundle: RUN steps get build args as environment strings,
// which the kernel caps at 128 KiB each.
import fs from "node:fs";
import path from "node:path";
import { filesUnder } from "./filesUnder";

const HOST_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
const DISTRIBUTION_CAS = "/usr/share/ca-certificates";
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

const certificatesIn = (pem: string): string[] => pem.match(PEM_CERTIFICATE) ?? [];

/** The certificates of the host's bundle that the distribution does not ship. */
export function extraCaCertificates(): string {
  const known = new Set(
    fs.existsSync(DISTRIBUTION_CAS)
      ? filesUnder(DISTRIBUTION_CAS).flatMap((file) => certificatesIn(fs.readFileSync(path.join(DISTRIBUTION_CAS, file), "utf8")))
      : [],
  );
  return certificatesIn(fs.readFileSync(HOST_CA_BUNDLE, "utf8")).filter((cert) => !known.has(cert)).join("\n");
}
