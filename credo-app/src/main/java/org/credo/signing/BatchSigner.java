package org.credo.signing;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Signs many messages with one Ed25519 signature: the messages that arrive while the previous
 * signature is being made are gathered, their {@link MerkleProof Merkle tree} is built, and its
 * root is signed once. Each message gets back the signature, the root and its own inclusion proof,
 * which together verify it alone, with the public key and SHA-256 (see {@link MerkleProof}).
 *
 * <p>An Ed25519 signature costs about 50 µs here; a tree of a thousand messages costs about a
 * thousand SHA-256 hashes, a few microseconds each. Under load the batches grow by themselves, as a
 * database's group commit does; a lone message is signed at once, in a tree of one.
 */
public final class BatchSigner implements AutoCloseable {
  private static final int MAX_BATCH = 4096;
  private static final long LINGER_NANOS = 1_000_000;

  private record Job(byte[] leaf, CompletableFuture<MerkleProof> done) {}

  private final SigningKey key;
  private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(65_536);
  private final Thread thread;
  private volatile boolean closing;

  public BatchSigner(SigningKey key) {
    this.key = requireNonNull(key, "key is null");
    this.thread = new Thread(this::loop, "credo-batch-signer");
    thread.setDaemon(true);
    thread.start();
  }

  /** The key whose signatures this signer makes. */
  public SigningKey key() {
    return key;
  }

  /**
   * Queues {@code message}; the future completes with its signature and proof once its batch is
   * signed, or fails if the signer is closed or full.
   */
  public CompletableFuture<MerkleProof> sign(byte[] message) {
    CompletableFuture<MerkleProof> done = new CompletableFuture<>();
    if (closing) {
      done.completeExceptionally(new IllegalStateException("the signer is closed"));
    } else if (!queue.offer(new Job(MerkleProof.leafHash(message), done))) {
      done.completeExceptionally(new IllegalStateException("the signer is full"));
    }
    return done;
  }

  private void loop() {
    List<Job> batch = new ArrayList<>();
    while (true) {
      Job first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        if (closing) {
          return;
        }
        continue;
      }
      batch.add(first);
      if (queue.size() < MAX_BATCH) {
        // Let a batch gather: a millisecond costs a decision nothing (its inquiry's commit takes
        // longer) and saves a signature for every message that arrives meanwhile.
        LockSupport.parkNanos(LINGER_NANOS);
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      try {
        byte[][] leaves = new byte[batch.size()][];
        for (int i = 0; i < leaves.length; i++) {
          leaves[i] = batch.get(i).leaf();
        }
        List<MerkleProof> proofs = MerkleProof.sign(leaves, key);
        for (int i = 0; i < leaves.length; i++) {
          batch.get(i).done().complete(proofs.get(i));
        }
      } catch (RuntimeException e) {
        batch.forEach(j -> j.done().completeExceptionally(e));
      }
      batch.clear();
    }
  }

  /** Signs what is queued, then stops. */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
