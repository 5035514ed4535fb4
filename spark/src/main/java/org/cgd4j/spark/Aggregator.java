package org.cgd4j.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * The distributed half of an iteration: Σ w·∇ℓ, Σ w·ℓ, Σ w over the data at the broadcast q.
 * Everything captured by the task closures is static or serializable; nothing here runs per
 * example except {@link Partial#add}.
 */
final class Aggregator {
    private Aggregator() {}

    /** The sum over {@code data} by {@code mode}; {@code depth} ≥ 1 is the tree depth of either mode. */
    static <T> Partial sum(JavaRDD<T> data, Objective<T> objective, Broadcast<double[]> q, int dimension,
                           Aggregation mode, int depth) {
        return switch (mode) {
            case TREE -> data.treeAggregate(new Partial(dimension), new SeqOp<>(objective, q), Partial::merge, depth);
            case ORDERED -> ordered(data, objective, q, dimension, depth);
        };
    }

    /**
     * One sum per partition, keyed by partition index; while there are more than the fan-in, groups
     * of consecutive indices are summed in index order on the executors (one shuffle per level); the
     * last level is collected and summed in index order on the driver. Every merge happens in an order
     * fixed by the partitioning, never by task timing.
     */
    private static <T> Partial ordered(JavaRDD<T> data, Objective<T> objective, Broadcast<double[]> q, int dimension,
                                       int depth) {
        JavaPairRDD<Integer, Partial> level = JavaPairRDD.fromJavaRDD(data.mapPartitionsWithIndex(
                (index, examples) -> partition(index, examples, objective, q.value(), dimension), true));
        int n = data.getNumPartitions();
        int fanIn = Math.max(2, (int) Math.ceil(Math.pow(n, 1.0 / depth)));
        while (n > fanIn) {
            int buckets = (n + fanIn - 1) / fanIn;
            level = level.mapToPair(p -> new Tuple2<>(p._1() / fanIn, p)).groupByKey(buckets)
                    .mapToPair(g -> new Tuple2<>(g._1(), inOrder(g._2())));
            n = buckets;
        }
        Partial total = inOrder(level.collect());
        return total != null ? total : new Partial(dimension);
    }

    private static <T> Iterator<Tuple2<Integer, Partial>> partition(int index, Iterator<T> examples,
                                                                    Objective<T> objective, double[] q, int dimension) {
        Partial p = new Partial(dimension);
        while (examples.hasNext()) {
            p.add(objective, examples.next(), q);
        }
        return List.of(new Tuple2<>(index, p)).iterator();
    }

    /** The sums sorted by key, merged left to right into the first; null when there are none. */
    private static Partial inOrder(Iterable<Tuple2<Integer, Partial>> sums) {
        List<Tuple2<Integer, Partial>> sorted = new ArrayList<>();
        sums.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(Tuple2::_1));
        Partial total = null;
        for (Tuple2<Integer, Partial> s : sorted) {
            total = total == null ? s._2() : total.merge(s._2());
        }
        return total;
    }

    /** treeAggregate's per-example step; reads the broadcast once per task (the copy Spark deserialized). */
    private static final class SeqOp<T> implements Function2<Partial, T, Partial> {
        private static final long serialVersionUID = 1L;
        private final Objective<T> objective;
        private final Broadcast<double[]> q;
        private transient double[] value;

        SeqOp(Objective<T> objective, Broadcast<double[]> q) {
            this.objective = objective;
            this.q = q;
        }

        @Override
        public Partial call(Partial sum, T example) {
            if (value == null) {
                value = q.value();
            }
            return sum.add(objective, example, value);
        }
    }
}
