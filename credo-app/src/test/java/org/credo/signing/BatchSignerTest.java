package org.credo.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BatchSignerTest {
  private static final SigningKey KEY = SigningKey.generate();

  private static byte[] message(int i) {
    return ("{\"decision\":" + i + "}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyLeafOfEveryTreeSizeVerifiesAloneAndNoOtherMessageDoes() {
    for (int n = 1; n <= 70; n++) {
      byte[][] leaves = new byte[n][];
      for (int i = 0; i < n; i++) {
        leaves[i] = MerkleProof.leafHash(message(i));
      }
      List<MerkleProof> proofs = MerkleProof.sign(leaves, KEY);
      assertThat(proofs).hasSize(n);
      for (int i = 0; i < n; i++) {
        MerkleProof p = proofs.get(i);
        assertThat(p.verifies(message(i), KEY.publicKey())).as("leaf %d of %d", i, n).isTrue();
        assertThat(p.verifies(message(i + 1), KEY.publicKey())).isFalse();
        assertThat(p.path().size()).isLessThanOrEqualTo(32 - Integer.numberOfLeadingZeros(n));
        // Its JSON form reads back to a proof that verifies the same.
        assertThat(MerkleProof.parse(p.json()).verifies(message(i), KEY.publicKey())).isTrue();
      }
    }
  }

  @Test
  void aProofMovedToAnotherIndexOrTreeSizeOrKeyFails() {
    byte[][] leaves = new byte[13][];
    for (int i = 0; i < leaves.length; i++) {
      leaves[i] = MerkleProof.leafHash(message(i));
    }
    MerkleProof p = MerkleProof.sign(leaves, KEY).get(5);
    PublicKey k = KEY.publicKey();
    assertThat(
            new MerkleProof(p.keyId(), 4, 13, p.path(), p.root(), p.signature())
                .verifies(message(5), k))
        .isFalse();
    assertThat(
            new MerkleProof(p.keyId(), 5, 12, p.path(), p.root(), p.signature())
                .verifies(message(5), k))
        .isFalse();
    assertThat(
            new MerkleProof(
                    p.keyId(), 5, 13, p.path().subList(1, p.path().size()), p.root(), p.signature())
                .verifies(message(5), k))
        .isFalse();
    byte[] otherRoot = p.root().clone();
    otherRoot[0] ^= 1;
    assertThat(
            new MerkleProof(p.keyId(), 5, 13, p.path(), otherRoot, p.signature())
                .verifies(message(5), k))
        .isFalse();
    assertThat(p.verifies(message(5), SigningKey.generate().publicKey())).isFalse();
    assertThatThrownBy(() -> MerkleProof.parse(p.json().put("algorithm", "Ed25519")))
        .hasMessageContaining("algorithm");
    assertThatThrownBy(() -> MerkleProof.parse(p.json().put("index", 13)))
        .hasMessageContaining("malformed signature")
        .hasMessageContaining("not in a tree of 13");
    assertThatThrownBy(() -> MerkleProof.parse(p.json().put("root", "AAAA")))
        .hasMessageContaining("32 bytes");
  }

  @Test
  void concurrentMessagesShareSignaturesAndEachVerifiesWithTheJdk() throws Exception {
    Random random = new Random(7);
    try (BatchSigner signer = new BatchSigner(KEY)) {
      List<CompletableFuture<MerkleProof>> futures = new ArrayList<>();
      List<byte[]> messages = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        byte[] m = new byte[1 + random.nextInt(300)];
        random.nextBytes(m);
        messages.add(m);
        futures.add(signer.sign(m));
      }
      Signature jdk = Signature.getInstance("Ed25519");
      jdk.initVerify(
          KeyFactory.getInstance("Ed25519")
              .generatePublic(new X509EncodedKeySpec(KEY.publicKey().x509())));
      java.util.Set<String> roots = new java.util.HashSet<>();
      for (int i = 0; i < futures.size(); i++) {
        MerkleProof p = futures.get(i).get();
        assertThat(p.rootOf(messages.get(i))).isEqualTo(p.root());
        jdk.update(MerkleProof.signedBytes(p.size(), p.root()));
        assertThat(jdk.verify(p.signature())).isTrue();
        roots.add(java.util.Base64.getEncoder().encodeToString(p.root()));
      }
      // Queued faster than one signature a message: many messages share a root.
      assertThat(roots.size()).isLessThan(futures.size() / 2);
    }
  }
}
