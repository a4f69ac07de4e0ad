package org.credo.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One message's share of a batch signature: the Ed25519 signature of a Merkle tree's root, the
 * root, and the path from the message's leaf to it.
 *
 * <p>The tree (as in RFC 9162, certificate transparency): a leaf is {@code SHA-256(0x00 ||
 * message)}, an inner node {@code SHA-256(0x01 || left || right)}. A level with an odd number of
 * nodes carries its last node up unchanged. The signature is Ed25519 over the ASCII bytes {@code
 * credo-merkle-root-v1:}, the number of leaves as a 4-byte big-endian integer, and the 32-byte
 * root. To verify a message: hash its leaf; for each level, while the tree has more than one node,
 * if the index is odd hash the next proof element on the left, if it is even and not the level's
 * last node hash it on the right, otherwise carry; halve the index (and the level's size, rounding
 * up); the result must equal {@code root}, and the signature must verify over it.
 *
 * @param keyId the signing key's id
 * @param index the message's leaf index in its batch
 * @param size the number of leaves in the batch
 * @param path the sibling hashes from the leaf up, 32 bytes each
 * @param root the tree's root
 * @param signature the Ed25519 signature of the root
 */
public record MerkleProof(
    String keyId, int index, int size, List<byte[]> path, byte[] root, byte[] signature) {

  /** The name of the scheme in a signature's {@code algorithm} member. */
  public static final String ALGORITHM = "Ed25519-Merkle-SHA256";

  private static final byte[] ROOT_PREFIX =
      "credo-merkle-root-v1:".getBytes(StandardCharsets.US_ASCII);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

  public MerkleProof {
    java.util.Objects.requireNonNull(keyId, "keyId is null");
    if (size < 1 || index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "leaf " + index + " is not in a tree of " + size + " leaves");
    }
    path = List.copyOf(path);
    path.forEach(MerkleProof::hash);
    hash(java.util.Objects.requireNonNull(root, "root is null"));
    java.util.Objects.requireNonNull(signature, "signature is null");
  }

  /** The leaf hash of a message. */
  public static byte[] leafHash(byte[] message) {
    MessageDigest d = sha256();
    d.update((byte) 0);
    return d.digest(message);
  }

  /** The bytes the root's signature covers: the prefix, the tree's size (4 bytes), the root. */
  public static byte[] signedBytes(int size, byte[] root) {
    return java.nio.ByteBuffer.allocate(ROOT_PREFIX.length + 4 + root.length)
        .put(ROOT_PREFIX)
        .putInt(size)
        .put(root)
        .array();
  }

  /** Builds the tree over {@code leaves} (leaf hashes), signs its root, and gives every proof. */
  static List<MerkleProof> sign(byte[][] leaves, SigningKey key) {
    int n = leaves.length;
    List<byte[][]> levels = new ArrayList<>();
    levels.add(leaves);
    MessageDigest d = sha256();
    byte[][] level = leaves;
    while (level.length > 1) {
      byte[][] up = new byte[(level.length + 1) / 2][];
      for (int i = 0; i < up.length; i++) {
        up[i] = 2 * i + 1 < level.length ? node(d, level[2 * i], level[2 * i + 1]) : level[2 * i];
      }
      levels.add(up);
      level = up;
    }
    byte[] root = level[0];
    byte[] signature = key.sign(signedBytes(n, root));
    List<MerkleProof> proofs = new ArrayList<>(n);
    for (int leaf = 0; leaf < n; leaf++) {
      List<byte[]> path = new ArrayList<>();
      int i = leaf;
      for (int l = 0; l < levels.size() - 1; l++) {
        byte[][] nodes = levels.get(l);
        int sibling = i ^ 1;
        if (sibling < nodes.length) {
          path.add(nodes[sibling]);
        }
        i >>= 1;
      }
      proofs.add(new MerkleProof(key.keyId(), leaf, n, path, root, signature));
    }
    return proofs;
  }

  /** The root that {@code message} and this proof's path lead to. */
  public byte[] rootOf(byte[] message) {
    MessageDigest d = sha256();
    byte[] h = leafHash(message);
    int i = index;
    int n = size;
    int next = 0;
    while (n > 1) {
      if ((i & 1) == 1) {
        h = node(d, element(next++), h);
      } else if (i + 1 < n) {
        h = node(d, h, element(next++));
      }
      i >>= 1;
      n = (n + 1) / 2;
    }
    if (next != path.size()) {
      throw new IllegalArgumentException("the proof has " + path.size() + " hashes, not " + next);
    }
    return h;
  }

  /** True when this proof shows {@code message} under a root that {@code key} signed. */
  public boolean verifies(byte[] message, PublicKey key) {
    if (!key.keyId().equals(keyId)) {
      return false;
    }
    byte[] computed;
    try {
      computed = rootOf(message);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(computed, root)
        && key.verifies(signedBytes(size, root), signature);
  }

  /** The proof as the {@code signature} member of a signed document. */
  public ObjectNode json() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("algorithm", ALGORITHM);
    n.put("keyId", keyId);
    n.put("value", B64.encodeToString(signature));
    n.put("root", B64.encodeToString(root));
    n.put("index", index);
    n.put("size", size);
    var hashes = n.putArray("path");
    path.forEach(p -> hashes.add(B64.encodeToString(p)));
    return n;
  }

  /**
   * Reads a {@link #json()} form.
   *
   * @throws IllegalArgumentException naming what is missing or malformed
   */
  public static MerkleProof parse(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("the signature is not an object");
    }
    if (!ALGORITHM.equals(n.path("algorithm").asText())) {
      throw new IllegalArgumentException("the signature's algorithm is not " + ALGORITHM);
    }
    try {
      // The constructor checks the hashes' lengths and the leaf's place in the tree.
      List<byte[]> path = new ArrayList<>();
      for (JsonNode p : n.path("path")) {
        path.add(UNB64.decode(p.asText()));
      }
      if (!n.path("index").canConvertToInt() || !n.path("size").canConvertToInt()) {
        throw new IllegalArgumentException("the signature needs integer 'index' and 'size'");
      }
      return new MerkleProof(
          n.path("keyId").asText(),
          n.path("index").asInt(),
          n.path("size").asInt(),
          path,
          UNB64.decode(n.path("root").asText()),
          UNB64.decode(n.path("value").asText()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed signature: " + e.getMessage(), e);
    }
  }

  private byte[] element(int k) {
    if (k >= path.size()) {
      throw new IllegalArgumentException("the proof is too short");
    }
    return path.get(k);
  }

  private static byte[] hash(byte[] b) {
    if (b.length != 32) {
      throw new IllegalArgumentException("a hash has 32 bytes, not " + b.length);
    }
    return b;
  }

  private static byte[] node(MessageDigest d, byte[] left, byte[] right) {
    d.update((byte) 1);
    d.update(left);
    return d.digest(right);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
