/**
 * ENR (EIP-778) and key vectors, copied as data from /work/shared/spec-vectors.md §1 and §7,
 * which took them from devp2p `enr.md` "Test Vectors" and go-ethereum
 * `p2p/enode/node_test.go` (`pyRecord`) and `p2p/enode/urlv4_test.go` (`parseNodeTests`).
 */

/** keyB: signs the EIP-778 example record (spec-vectors §1). */
export const KEY_B = {
  priv: 'b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291',
  pub: 'ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd31387574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f',
  id: 'a448f24c6d18e575453db13171562b71999873db5b286df957af199ec94617f7',
};

/** keyA (spec-vectors §1). */
export const KEY_A = {
  priv: '49a7b37aa6f6645917e7b807e9d1c00d4fa71f18343b0d4122a4d2df64dd6fee',
  pub: 'fda1cff674c90c9a197539fe3dfb53086ace64f83ed7c6eabec741f7f381cc803e52ab2cd55d5569bce4347107a310dfd5f88a010cd2ffd1005ca406f1842877',
  id: '6469cc2093f39e9117071e660d3ab14bbad3d99f4203bd7a11acb94882050e7e',
};

/** The EIP-778 example record: keyB, seq 1, id v4, ip 127.0.0.1, udp 30303 (134 bytes). */
export const EIP778_EXAMPLE = {
  text: 'enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8',
  rlp:
    'f884b8407098ad865b00a582051940cb9cf36836572411a47278783077011599ed5cd16b76f2635f4e234738f30813a8' +
    '9eb9137e3e3df5266e3a1f11df72ecf1145ccb9c01826964827634826970847f00000189736563703235366b31a103ca' +
    '634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd31388375647082765f',
  signature:
    '7098ad865b00a582051940cb9cf36836572411a47278783077011599ed5cd16b76f2635f4e234738f30813a89eb9137e3e3df5266e3a1f11df72ecf1145ccb9c',
  secp256k1: '03ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138',
  nodeId: 'a448f24c6d18e575453db13171562b71999873db5b286df957af199ec94617f7',
};

/** A record with seq 99 (geth `urlv4_test.go`), signed by the key below. */
export const SEQ99_RECORD = {
  priv: '45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8',
  pub: '3a514176466fa815ed481ffad09110a2d344f6c9b78c1d14afc351c3a51be33d8072e77939dc03ba44790779b7a1025baf3003f6732430e20cd9b76d953391b3',
  nodeId: 'fa7a3e1ddd55862136c8b192a94f5374fce5edbc8e2a8697c15331677e6ebf0b',
  text: 'enr:-IS4QGrdq0ugARp5T2BZ41TrZOqLc_oKvZoPuZP5--anqWE_J-Tucc1xgkOL7qXl0puJgT7qc2KSvcupc4NCb0nr4tdjgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQM6UUF2Rm-oFe1IH_rQkRCi00T2ybeMHRSvw1HDpRvjPYN1ZHCCdl8',
  rlp:
    'f884b8406addab4ba0011a794f6059e354eb64ea8b73fa0abd9a0fb993f9fbe6a7a9613f27e4ee71cd7182438beea5e5' +
    'd29b89813eea736292bdcba97383426f49ebe2d763826964827634826970847f00000189736563703235366b31a1033a' +
    '514176466fa815ed481ffad09110a2d344f6c9b78c1d14afc351c3a51be33d8375647082765f',
};

/** Records that must be rejected (geth `urlv4_test.go`), with the error code we raise. */
export const INVALID_RECORDS: ReadonlyArray<{ text: string; code: string; why: string }> = [
  { text: 'enr:', code: 'MALFORMED', why: 'empty input' },
  { text: 'enr:x', code: 'INVALID_TEXT', why: 'base64 error' },
  {
    text: 'enr:-EmGZm9vYmFyY4JpZIJ2NIJpcIR_AAABiXNlY3AyNTZrMaEDOlFBdkZvqBXtSB_60JEQotNE9sm3jB0Ur8NRw6Ub4z2DdWRwgnZf',
    code: 'INVALID_SIGNATURE',
    why: 'no valid v4 signature',
  },
];
