#!/bin/sh
# Regenerates the test certificates and keys of tests/data/certs (see README.md there).
#
# Validity dates are pinned with `openssl ca -startdate/-enddate` (OpenSSL 3.0's `x509 -days`
# counts from today), so no test depends on the current date. Keys are random: running this
# script changes every key, signature, serial-independent fingerprint and *.sha256 file, and
# the tests read the fingerprints from those files, so they keep passing.
#
# Usage: tests/data/certs/generate.sh   (writes next to itself; needs the openssl CLI >= 3.0)
set -eu

OUT=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

LONG_START=20200101000000Z
LONG_END=20991231235959Z

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
email_in_dn      = yes
[ policy_any ]
countryName            = optional
stateOrProvinceName    = optional
localityName           = optional
organizationName       = optional
organizationalUnitName = optional
commonName             = supplied
emailAddress           = optional
[ v3_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
[ v3_intermediate ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
[ v3_server ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature, keyEncipherment
extendedKeyUsage       = serverAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:server.dtlsim.test, DNS:localhost, IP:127.0.0.1, IP:::1, email:admin@dtlsim.test
[ v3_client ]
basicConstraints       = critical, CA:FALSE
keyUsage               = critical, digitalSignature
extendedKeyUsage       = clientAuth
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
subjectAltName         = DNS:client.dtlsim.test
[ v3_expired ]
basicConstraints       = critical, CA:FALSE
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:expired.dtlsim.test
[ v3_wrong_host ]
basicConstraints       = critical, CA:FALSE
extendedKeyUsage       = serverAuth
subjectAltName         = DNS:other.dtlsim.test
[ v3_self_signed ]
basicConstraints       = critical, CA:FALSE
subjectKeyIdentifier   = hash
subjectAltName         = DNS:self-signed.dtlsim.test
CNF
mkdir newcerts
: > index.txt
echo 'unique_subject = no' > index.txt.attr

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
rsa_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -quiet -out "$1"; }

# sign NAME SERIAL SUBJECT EXTENSIONS START END ISSUER_CERT ISSUER_KEY ('-' = self-signed)
sign() {
  name=$1 serial=$2 subject=$3 ext=$4 start=$5 end=$6 icert=$7 ikey=$8
  openssl req -new -key "$OUT/$name.key.pem" -subj "$subject" -out "$name.csr"
  echo "$serial" > serial
  if [ "$icert" = - ]; then
    openssl ca -batch -config ca.cnf -selfsign -keyfile "$OUT/$name.key.pem" \
      -in "$name.csr" -out "$OUT/$name.pem" -extensions "$ext" -startdate "$start" \
      -enddate "$end" -notext -preserveDN 2> "$name.log" || { cat "$name.log"; exit 1; }
  else
    openssl ca -batch -config ca.cnf -cert "$OUT/$icert" -keyfile "$OUT/$ikey" \
      -in "$name.csr" -out "$OUT/$name.pem" -extensions "$ext" -startdate "$start" \
      -enddate "$end" -notext -preserveDN 2> "$name.log" || { cat "$name.log"; exit 1; }
  fi
}

ec_key "$OUT/ca.key.pem"
sign ca 1000 "/C=NL/O=dtlsim/CN=dtlsim Test Root CA" v3_root "$LONG_START" "$LONG_END" - -

ec_key "$OUT/intermediate.key.pem"
sign intermediate 1001 "/C=NL/O=dtlsim/CN=dtlsim Test Intermediate CA" v3_intermediate \
  "$LONG_START" "$LONG_END" ca.pem ca.key.pem

ec_key "$OUT/server.key.pem"
sign server 1002 \
  "/C=NL/ST=Noord-Holland/L=Amsterdam/O=dtlsim/OU=Testing/CN=server.dtlsim.test" v3_server \
  "$LONG_START" "$LONG_END" intermediate.pem intermediate.key.pem

ec_key "$OUT/client.key.pem"
sign client 1003 "/C=NL/O=dtlsim/CN=client.dtlsim.test" v3_client \
  "$LONG_START" "$LONG_END" ca.pem ca.key.pem

ec_key "$OUT/expired.key.pem"
sign expired 1004 "/C=NL/O=dtlsim/CN=expired.dtlsim.test" v3_expired \
  20010101000000Z 20021231235959Z ca.pem ca.key.pem

ec_key "$OUT/wrong-host.key.pem"
sign wrong-host 1005 "/C=NL/O=dtlsim/CN=other.dtlsim.test" v3_wrong_host \
  "$LONG_START" "$LONG_END" ca.pem ca.key.pem

ec_key "$OUT/self-signed.key.pem"
sign self-signed 1006 "/C=NL/O=dtlsim/CN=self-signed.dtlsim.test" v3_self_signed \
  "$LONG_START" "$LONG_END" - -

rsa_key "$OUT/server-rsa.key.pem"
sign server-rsa 1007 "/C=NL/O=dtlsim/CN=server.dtlsim.test" v3_server \
  "$LONG_START" "$LONG_END" ca.pem ca.key.pem

# Derived files.
cat "$OUT/server.pem" "$OUT/intermediate.pem" > "$OUT/server-chain.pem"
cat "$OUT/ca.pem" "$OUT/intermediate.pem" "$OUT/server.pem" "$OUT/client.pem" > "$OUT/bundle.pem"
openssl pkey -in "$OUT/server.key.pem" -aes256 -passout pass:dtlsim \
  -out "$OUT/server.key.encrypted.pem"
openssl pkey -in "$OUT/server.key.pem" -pubout -out "$OUT/server.pub.pem"
openssl pkey -in "$OUT/server-rsa.key.pem" -pubout -out "$OUT/server-rsa.pub.pem"
openssl x509 -in "$OUT/server.pem" -outform DER -out "$OUT/server.der"
openssl pkey -in "$OUT/server.key.pem" -outform DER -out "$OUT/server.key.der"
openssl pkcs12 -export -in "$OUT/server.pem" -inkey "$OUT/server.key.pem" \
  -certfile "$OUT/intermediate.pem" -name server.dtlsim.test -passout pass:dtlsim \
  -out "$OUT/server.p12"
for name in ca server; do
  openssl x509 -in "$OUT/$name.pem" -noout -fingerprint -sha256 > "$OUT/$name.pem.sha256"
done
echo "generated in $OUT"
