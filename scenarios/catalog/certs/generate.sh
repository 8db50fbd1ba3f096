#!/bin/sh
# Regenerates the large certificate chain of the MTU scenarios (mtu-256/576/1200): a root and
# three intermediates with RSA-4096 keys (each certificate ~1.4 KB: a 512-byte key and a
# 512-byte signature) above an EC P-256 leaf for server.dtlsim.test. The server sends leaf +
# three intermediates, about 5 KB of Certificate message, so the flight must be cut into many
# handshake fragments at small MTUs. The leaf key is EC so signing stays cheap (the catalog runs
# each scenario over 200 seeds); RSA signature checks on the client are cheap too.
#
# Validity is pinned (2020-01-01 .. 2099-12-31) with `openssl ca -startdate/-enddate`, so no
# scenario depends on today's date (scenarios run at 2030-01-01 virtual).
#
# Usage: scenarios/catalog/certs/generate.sh   (writes next to itself; openssl CLI >= 3.0)
set -eu

OUT=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

START=20200101000000Z
END=20991231235959Z

cat > ca.cnf <<'CNF'
[ ca ]
default_ca = testca
[ testca ]
dir              = .
database         = ./index.txt
new_certs_dir    = ./newcerts
serial           = ./serial
default_md       = sha256
policy           = policy_any
unique_subject   = no
copy_extensions  = none
[ policy_any ]
organizationName       = optional
commonName             = supplied
[ v3_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
[ v3_int1 ]
basicConstraints       = critical, CA:TRUE, pathlen:2
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ v3_int2 ]
basicConstraints       = critical, CA:TRUE, pathlen:1
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ v3_int3 ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ v3_server ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:server.dtlsim.test
CNF
mkdir newcerts
: > index.txt

rsa_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -quiet -out "$1"; }
ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }

# sign NAME SERIAL SUBJECT EXTENSIONS [ISSUER]   (no issuer: self-signed)
sign() {
  name=$1 serial=$2 subject=$3 ext=$4 issuer=${5:-}
  openssl req -new -key "$OUT/$name.key.pem" -subj "$subject" -out "$name.csr"
  echo "$serial" > serial
  if [ -z "$issuer" ]; then
    openssl ca -batch -config ca.cnf -selfsign -keyfile "$OUT/$name.key.pem" \
      -startdate $START -enddate $END -extensions "$ext" -in "$name.csr" -notext \
      -out "$OUT/$name.pem" 2>/dev/null
  else
    openssl ca -batch -config ca.cnf -cert "$OUT/$issuer.pem" -keyfile "$OUT/$issuer.key.pem" \
      -startdate $START -enddate $END -extensions "$ext" -in "$name.csr" -notext \
      -out "$OUT/$name.pem" 2>/dev/null
  fi
}

rsa_key "$OUT/big-root.key.pem"
sign big-root 2000 "/O=dtlsim/CN=dtlsim Large Chain Root CA" v3_root
rsa_key "$OUT/big-int1.key.pem"
sign big-int1 2001 "/O=dtlsim/CN=dtlsim Large Chain Intermediate CA 1" v3_int1 big-root
rsa_key "$OUT/big-int2.key.pem"
sign big-int2 2002 "/O=dtlsim/CN=dtlsim Large Chain Intermediate CA 2" v3_int2 big-int1
rsa_key "$OUT/big-int3.key.pem"
sign big-int3 2003 "/O=dtlsim/CN=dtlsim Large Chain Intermediate CA 3" v3_int3 big-int2
ec_key "$OUT/big-server.key.pem"
sign big-server 2004 "/O=dtlsim/CN=server.dtlsim.test" v3_server big-int3
cat "$OUT/big-server.pem" "$OUT/big-int3.pem" "$OUT/big-int2.pem" "$OUT/big-int1.pem" \
  > "$OUT/big-server-chain.pem"
# The CA keys are not needed by any scenario: only the chain, the leaf key and the root.
rm -f "$OUT/big-root.key.pem" "$OUT/big-int1.key.pem" "$OUT/big-int2.key.pem" "$OUT/big-int3.key.pem"
rm -f "$OUT/big-int1.pem" "$OUT/big-int2.pem" "$OUT/big-int3.pem" "$OUT/big-server.pem"
