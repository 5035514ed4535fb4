import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generates the fused loops of the diagonal CGD step (package
 * {@code org.cgd4j.engine.internal.kernel.generated}) from ONE description per op: for each access
 * kind (native double segments, double[] params, float[] params, native float segments) a scalar class and a Vector API
 * class. Scalar and vector code are emitted from the same expression tree, so they perform the
 * same operations in the same order (no FMA) and agree bit for bit; only the general power's
 * block path (PanamaDenominator/PanamaPower, hand-written) sits outside.
 *
 * <p>Run from the repository root: {@code java tools/kernelgen/KernelGen.java} rewrites the
 * generated files; {@code java tools/kernelgen/KernelGen.java --check} writes nothing and exits 1,
 * naming the files, when regenerating would change any of them (the engine's test
 * GeneratedLoopsTest runs this, so {@code make test} fails on a hand edit or a stale output).
 * The precedents: the JDK's X-Vector.java.template + gen-src.sh, EJML's F32-from-F64, Lucene's
 * generated ForUtil.
 */
public final class KernelGen {
    static final String PACKAGE = "org.cgd4j.engine.internal.kernel.generated";
    static final Path OUT = Path.of("engine/src/main/java/org/cgd4j/engine/internal/kernel/generated");

    // ------------------------------------------------------------------------------------------
    // The ops: what each fused loop computes, once. Names: g (the gradient), q (the param) and the
    // state streams m, s, mu as loaded; coefficients as StepCoefficients names them (the float
    // loops read the twin with an F suffix); other names are locals defined in order. Java
    // precedence and left association give the tree, and both emitters follow the tree exactly.
    // ------------------------------------------------------------------------------------------

    static final String MOMENT = "mNew = m * beta1 + g * oneMinusBeta1";
    static final String SQUARE = "sNew = s * beta2 + g * oneMinusBeta2 * g";
    static final String MEAN = "muNew = mu * beta2 + g * oneMinusBeta2";

    static final List<Op> OPS = List.of(
            new Op("SGD", "sgd", List.of(), List.of(), null, "g * stepScale"),
            new Op("MOMENTUM", "momentum", List.of("m"), List.of(MOMENT), null, "mNew * stepScale"),
            new Op("SECOND_MOMENT", "secondMoment", List.of("m", "s"), List.of(MOMENT, SQUARE),
                    "sNew * invC2", "mNew * stepScale"),
            new Op("RMSPROP", "rmsprop", List.of("s"), List.of(SQUARE), "sNew * invC2", "g * stepScale"),
            new Op("COVARIANCE_METRIC", "covarianceMetric", List.of("m", "s", "mu"),
                    List.of(MOMENT, SQUARE, MEAN, "uh = muNew * invC2"), "sNew * invC2 - uh * uh", "mNew * stepScale"),
            new Op("RMSPROP_CENTERED", "rmspropCentered", List.of("s", "mu"),
                    List.of(SQUARE, MEAN, "uh = muNew * invC2"), "sNew * invC2 - uh * uh", "g * stepScale"),
            new Op("COVARIANCE_FORCE", "covarianceForce", List.of("m", "s"),
                    List.of(MOMENT, SQUARE, "mh = mNew * invC1"), "sNew * invC2 - mh * mh", "mNew * stepScale"),
            new Op("BELIEF", "belief", List.of("m", "s"),
                    List.of(MOMENT, "r = g - mNew", "sNew = s * beta2 + r * oneMinusBeta2 * r"), "sNew * invC2", "mNew * stepScale"));

    /** StepCoefficients' scalars a loop may read, in the order their locals are declared. */
    static final List<String> COEFFICIENTS = List.of("gradScale", "l2", "beta1", "oneMinusBeta1", "beta2", "oneMinusBeta2",
            "stepScale", "invC1", "invC2", "decay");

    /**
     * The training-loop terms (SPEC "Training-loop terms"), as coefficients of the same loops. Order
     * per element: clip (g ← gradScale·g) → coupled L2 (g ← g + l2·q, only when l2 ≠ 0: g + 0·q would
     * turn −0 into +0 and ∞·0 into NaN) → the op's moments and metric → decoupled decay
     * (q ← q·decay − update). PLAIN is today's loop; multiplying by gradScale = 1 or decay = 1 is
     * exact, so TERMS with neutral values reproduces PLAIN bit for bit.
     */
    enum Flavour {
        PLAIN("", null, false),
        TERMS("Terms", "gt = g * gradScale", true),
        TERMS_L2("TermsL2", "gt = g * gradScale + q * l2", true);

        final String suffix;
        final String prologue;
        final boolean decay;

        Flavour(String suffix, String prologue, boolean decay) {
            this.suffix = suffix;
            this.prologue = prologue;
            this.decay = decay;
        }
    }

    /**
     * One op: the state it keeps (each is stored from the local named {@code <state>New}), its
     * statements, the metric X̂ (null: no denominator) and the update that q loses.
     */
    record Op(String constant, String method, List<String> state, List<String> statements, String metric, String update) {
        /** The statements of a flavour: its prologue, then the op's own with g read as the prologue's gt. */
        List<Stmt> parsed(Flavour f) {
            List<Stmt> out = new ArrayList<>();
            if (f.prologue != null) {
                out.add(Stmt.parse(f.prologue));
            }
            for (String s : statements) {
                Stmt st = Stmt.parse(s);
                out.add(new Stmt(st.name(), rename(st.expr(), f)));
            }
            return out;
        }

        Expr metricExpr(Flavour f) { return metric == null ? null : rename(Expr.parse(metric), f); }

        Expr updateExpr(Flavour f) { return rename(Expr.parse(update), f); }

        String method(Flavour f) { return method + f.suffix; }

        /** Whether the flavour reads q before the update (coupled L2 does). */
        boolean readsQEarly(Flavour f) { return f == Flavour.TERMS_L2; }

        /** Coefficients the loop reads, in {@link #COEFFICIENTS} order. */
        Set<String> coefficients(Flavour f) {
            Set<String> names = new LinkedHashSet<>();
            for (Stmt s : parsed(f)) {
                s.expr().names(names);
            }
            updateExpr(f).names(names);
            if (metric != null) {
                metricExpr(f).names(names);
            }
            if (f.decay) {
                names.add("decay");
            }
            Set<String> used = new LinkedHashSet<>();
            for (String c : COEFFICIENTS) {
                if (names.contains(c)) {
                    used.add(c);
                }
            }
            return used;
        }

        private static Expr rename(Expr e, Flavour f) {
            if (f.prologue == null) {
                return e;
            }
            if (e instanceof Name n) {
                return n.name().equals("g") ? new Name("gt") : n;
            }
            Bin b = (Bin) e;
            return new Bin(b.op(), rename(b.left(), f), rename(b.right(), f));
        }

        /** The parameter list of the state streams, e.g. ", MemorySegment m, MemorySegment s". */
        String stateParams() {
            StringBuilder b = new StringBuilder();
            for (String s : state) {
                b.append(", MemorySegment ").append(s);
            }
            return b.toString();
        }

        String stateArgs() {
            StringBuilder b = new StringBuilder();
            for (String s : state) {
                b.append(", ").append(s);
            }
            return b.toString();
        }
    }

    record Stmt(String name, Expr expr) {
        static Stmt parse(String text) {
            int eq = text.indexOf('=');
            return new Stmt(text.substring(0, eq).trim(), Expr.parse(text.substring(eq + 1)));
        }
    }

    /** A tiny expression tree: names and the four binary operators. */
    sealed interface Expr permits Name, Bin {
        void names(Set<String> out);

        static Expr parse(String text) {
            Parser p = new Parser(text);
            Expr e = p.sum();
            if (p.pos != p.tokens.size()) {
                throw new IllegalArgumentException("trailing input in '" + text + "'");
            }
            return e;
        }
    }

    record Name(String name) implements Expr {
        public void names(Set<String> out) { out.add(name); }
    }

    record Bin(char op, Expr left, Expr right) implements Expr {
        public void names(Set<String> out) {
            left.names(out);
            right.names(out);
        }
    }

    static final class Parser {
        final List<String> tokens = new ArrayList<>();
        int pos;

        Parser(String text) {
            for (int i = 0; i < text.length(); ) {
                char ch = text.charAt(i);
                if (Character.isWhitespace(ch)) {
                    i++;
                } else if (Character.isJavaIdentifierStart(ch)) {
                    int j = i;
                    while (j < text.length() && Character.isJavaIdentifierPart(text.charAt(j))) {
                        j++;
                    }
                    tokens.add(text.substring(i, j));
                    i = j;
                } else if ("+-*/()".indexOf(ch) >= 0) {
                    tokens.add(String.valueOf(ch));
                    i++;
                } else {
                    throw new IllegalArgumentException("unexpected '" + ch + "' in '" + text + "'");
                }
            }
        }

        Expr sum() {
            Expr e = product();
            while (pos < tokens.size() && (tokens.get(pos).equals("+") || tokens.get(pos).equals("-"))) {
                char op = tokens.get(pos++).charAt(0);
                e = new Bin(op, e, product());
            }
            return e;
        }

        Expr product() {
            Expr e = atom();
            while (pos < tokens.size() && (tokens.get(pos).equals("*") || tokens.get(pos).equals("/"))) {
                char op = tokens.get(pos++).charAt(0);
                e = new Bin(op, e, atom());
            }
            return e;
        }

        Expr atom() {
            String t = tokens.get(pos++);
            if (t.equals("(")) {
                Expr e = sum();
                if (!tokens.get(pos++).equals(")")) {
                    throw new IllegalArgumentException("missing )");
                }
                return e;
            }
            return new Name(t);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Access kinds: how a loop indexes and loads each stream.
    // ------------------------------------------------------------------------------------------

    /** {@code segment}: params and gradients as native segments (long index); else heap arrays (int index). */
    record Access(String tag, boolean segment, boolean single) {
        String elem() { return single ? "float" : "double"; }
        String vector() { return single ? "FloatVector" : "DoubleVector"; }
        String boxed() { return single ? "Float" : "Double"; }
        String layout() { return single ? "JAVA_FLOAT" : "JAVA_DOUBLE"; }
        int shift() { return single ? 2 : 3; }
        String index() { return segment ? "long" : "int"; }
        String data() { return segment ? "MemorySegment" : elem() + "[]"; }
        String coef(String name) { return single ? name + "F" : name; }
        String max() { return single ? "DiagonalKernels.MAX_GRADIENT_FLOAT" : "DiagonalKernels.MAX_GRADIENT"; }
        String scalarClass() { return "Scalar" + tag + "Loops"; }
        String vectorClass() { return "Panama" + tag + "Loops"; }
        String suffix() { return single ? "F" : ""; }

        /** Byte offset of element {@code i} (an index expression of this access's index type, or int). */
        String offset(String i, boolean intIndex) {
            return intIndex ? "(long) " + paren(i) + " << " + shift() : paren(i) + " << " + shift();
        }

        String scalarLoadData(String array, String i) {
            return segment ? array + ".getAtIndex(" + layout() + ", " + i + ")" : array + "[" + i + "]";
        }

        String scalarStoreData(String array, String i, String value) {
            return segment ? array + ".setAtIndex(" + layout() + ", " + i + ", " + value + ");" : array + "[" + i + "] = " + value + ";";
        }

        String scalarLoadState(String seg, String i) {
            return seg + ".getAtIndex(" + layout() + ", " + i + ")";
        }

        String scalarStoreState(String seg, String i, String value) {
            return seg + ".setAtIndex(" + layout() + ", " + i + ", " + value + ");";
        }

        String vectorLoadData(String array, String i) {
            return segment ? vector() + ".fromMemorySegment(S, " + array + ", " + offset(i, false) + ", ORDER)"
                    : vector() + ".fromArray(S, " + array + ", " + i + ")";
        }

        /** The store of {@code value} at element i. */
        String vectorStoreData(String value, String array, String i) {
            return segment ? value + ".intoMemorySegment(" + array + ", " + offset(i, false) + ", ORDER);"
                    : value + ".intoArray(" + array + ", " + i + ");";
        }

        String vectorLoadState(String seg, String i) {
            return vector() + ".fromMemorySegment(S, " + seg + ", " + offset(i, !segment) + ", ORDER)";
        }

        String vectorStoreState(String value, String seg, String i) {
            return value + ".intoMemorySegment(" + seg + ", " + offset(i, !segment) + ", ORDER);";
        }
    }

    static final List<Access> ACCESSES = List.of(
            new Access("Segment", true, false),
            new Access("Array", false, false),
            new Access("Float", false, true),
            new Access("FloatSegment", true, true));

    static String paren(String s) {
        return s.matches("[A-Za-z0-9_]+") ? s : "(" + s + ")";
    }

    /** Loaded streams are named {@code <stream>i}; locals keep their names. */
    static String local(String name, Op op) {
        return name.equals("g") || name.equals("q") || op.state().contains(name) ? name + "i" : name;
    }

    static String scalar(Expr e, Op op, boolean top) {
        if (e instanceof Name n) {
            return local(n.name(), op);
        }
        Bin b = (Bin) e;
        String s = scalar(b.left(), op, false) + " " + b.op() + " " + scalar(b.right(), op, false);
        return top ? s : "(" + s + ")";
    }

    static String vector(Expr e, Op op) {
        if (e instanceof Name n) {
            if (COEFFICIENTS.contains(n.name())) {
                throw new IllegalArgumentException("a coefficient must stand on the right of its operator: " + n.name());
            }
            return local(n.name(), op);
        }
        Bin b = (Bin) e;
        String method = b.op() == '+' ? "add" : b.op() == '-' ? "sub" : b.op() == '*' ? "mul" : "div";
        String right = b.right() instanceof Name n && COEFFICIENTS.contains(n.name()) ? n.name() : vector(b.right(), op);
        return vector(b.left(), op) + "." + method + "(" + right + ")";
    }

    // ------------------------------------------------------------------------------------------
    // Emitters.
    // ------------------------------------------------------------------------------------------

    static final class Out {
        final StringBuilder b = new StringBuilder();
        int indent;

        Out line(String s) {
            if (!s.isEmpty()) {
                b.append("    ".repeat(indent)).append(s);
            }
            b.append('\n');
            return this;
        }

        Out open(String s) {
            line(s);
            indent++;
            return this;
        }

        Out close(String s) {
            indent--;
            return line(s);
        }
    }

    static String header(String imports, String javadoc) {
        return "// GENERATED by tools/kernelgen/KernelGen.java: do not edit.\n"
                + "// Change the generator and regenerate from the repository root: java tools/kernelgen/KernelGen.java\n"
                + "package " + PACKAGE + ";\n\n" + imports + javadoc;
    }

    static String coefficientLocals(Op op, Flavour f, Access a) {
        List<String> parts = new ArrayList<>();
        for (String c : op.coefficients(f)) {
            parts.add(c + " = c." + a.coef(c));
        }
        return parts.isEmpty() ? null : a.elem() + " " + String.join(", ", parts) + ";";
    }

    static String scalarLoopHeader(Access a) {
        return a.segment ? "for (long i = from; i < to; i++) {" : "for (int i = (int) from, end = (int) to; i < end; i++) {";
    }

    /**
     * Where a loop reads g: at i, or in a row loop at i + gShift (an int copy gOff for arrays). The
     * dense loops keep the plain index: an offset load measured 5–9% slower on the dense step.
     */
    static String gIndex(Access a, boolean row) {
        return !row ? "i" : a.segment ? "i + gShift" : "i + gOff";
    }

    static String rowSuffix(boolean row) {
        return row ? "Row" : "";
    }

    static String stepParams(Access a) {
        return "StepCoefficients c, " + a.data() + " q, " + a.data() + " g, long gShift, MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to";
    }

    /** The row-sparse step's parameters: the distinct rows, their count and the table's width. */
    static String rowsParams(Access a) {
        return "StepCoefficients c, " + a.data() + " q, " + a.data() + " g, int[] rows, int count, int cols, MemorySegment m, MemorySegment s, MemorySegment mu";
    }

    static String loopParams(Op op, Access a, boolean row) {
        return "StepCoefficients c, " + a.data() + " q, " + a.data() + " g" + (row ? ", long gShift" : "") + op.stateParams() + ", long from, long to";
    }

    static final String NB = "DiagonalKernels.NORM_BLOCK";

    static String generateScalar(Access a) {
        Out o = new Out();
        o.b.append(header("""
                import static java.lang.foreign.ValueLayout.%s;

                import java.lang.foreign.MemorySegment;
                import org.cgd4j.engine.internal.kernel.DiagonalKernels;
                import org.cgd4j.engine.internal.kernel.ScalarDenominator;
                import org.cgd4j.engine.internal.kernel.StepCoefficients;

                """.formatted(a.layout()), """
                /**
                 * The scalar loops on %s: the non-finite scan, the squares of the
                 * gradient norm and the fused step of each op and flavour. The reference twin of
                 * {@link %s} (which hands its tails here) and the fallback when
                 * {@code jdk.incubator.vector} is absent. Every product and sum is evaluated exactly as written,
                 * never fused.
                 */
                """.formatted(describe(a), a.vectorClass())));
        o.open("public final class " + a.scalarClass() + " {");
        o.open("private " + a.scalarClass() + "() {").close("}");
        String ix = a.index();
        // scan
        o.line("");
        o.line("/** The first index in [from, to) whose value is NaN, infinite or beyond ±" + a.max().replace("DiagonalKernels.", "") + ", or −1. */");
        o.open("public static long firstNonFinite(" + a.data() + " g, long from, long to) {");
        o.open(scalarLoopHeader(a));
        o.open("if (!(Math.abs(" + a.scalarLoadData("g", "i") + ") <= " + a.max() + ")) {");
        o.line("return i;");
        o.close("}");
        o.close("}");
        o.line("return -1;");
        o.close("}");
        // norm
        o.line("");
        o.line("/** Σ g² of each " + "NORM_BLOCK-element block of [from, to) into blockSums[block]; see DiagonalKernels.squares. */");
        o.open("public static void squares(" + a.data() + " g, long from, long to, double[] blockSums) {");
        o.open("for (long start = DiagonalKernels.normStart(from); start < to; start += " + NB + ") {");
        o.line("blockSums[(int) (start / " + NB + ")] = finishSquares(g, start, Math.min(start + " + NB + ", to)" + zeros(a) + ");");
        o.close("}");
        o.close("}");
        o.line("");
        o.line("/** The non-finite scan and the block squares in one pass; see DiagonalKernels.firstNonFiniteSquares. */");
        o.open("public static long firstNonFiniteSquares(" + a.data() + " g, long from, long to, double[] blockSums) {");
        o.open("for (long start = DiagonalKernels.normStart(from); start < to; start += " + NB + ") {");
        o.line("long end = Math.min(start + " + NB + ", to);");
        o.line("long bad = firstNonFinite(g, start, end);");
        o.open("if (bad >= 0) {");
        o.line("return bad;");
        o.close("}");
        o.line("blockSums[(int) (start / " + NB + ")] = finishSquares(g, start, end" + zeros(a) + ");");
        o.close("}");
        o.line("return -1;");
        o.close("}");
        o.line("");
        int n = accumulators(a);
        String acc = a.single ? "float" : "double";
        o.line("/**");
        o.line(" * Continues a block's " + n + " accumulators from element {@code from} (a multiple of " + n + " past the block's");
        o.line(" * start) to {@code to}: a_k += g_i·g_i in " + acc + " for i ≡ k mod " + n + ", in increasing i; then combines them");
        o.line(" * pairwise in double, " + combine(n, "") + ". The vector twin hands its lanes here.");
        o.line(" */");
        StringBuilder params = new StringBuilder();
        for (int k = 0; k < n; k++) {
            params.append(", ").append(acc).append(" a").append(k);
        }
        o.open("public static double finishSquares(" + a.data() + " g, long from, long to" + params + ") {");
        if (a.segment) {
            o.line("long i = from;");
            o.line("long end = to;");
        } else {
            o.line("int i = (int) from;");
            o.line("int end = (int) to;");
        }
        o.line(acc + " x;");
        o.open("for (; i <= end - " + n + "; i += " + n + ") {");
        for (int k = 0; k < n; k++) {
            o.line("x = " + a.scalarLoadData("g", k == 0 ? "i" : "i + " + k) + ";");
            o.line("a" + k + " = a" + k + " + x * x;");
        }
        o.close("}");
        for (int k = 0; k < n - 1; k++) {
            o.open("if (" + (k == 0 ? "i" : "i + " + k) + " < end) {");
            o.line("x = " + a.scalarLoadData("g", k == 0 ? "i" : "i + " + k) + ";");
            o.line("a" + k + " = a" + k + " + x * x;");
            o.close("}");
        }
        o.line("return " + combine(n, a.single ? "(double) " : "") + ";");
        o.close("}");
        // dispatch
        o.line("");
        o.line("/** One fused step over [from, to), g read at i + gShift: the loop of c.op in c.flavour. */");
        o.open("public static void step(" + stepParams(a) + ") {");
        flavourSwitch(o, a, false);
        o.close("}");
        o.line("");
        o.line("/** The row-sparse step: row rows[k] (elements [rows[k]·cols, +cols)) with its gradient at k·cols, for k < count. */");
        o.open("public static void stepRows(" + rowsParams(a) + ") {");
        stepEachRow(o);
        o.close("}");
        for (boolean row : new boolean[] {false, true}) {
            for (Flavour f : Flavour.values()) {
                o.line("");
                opSwitch(o, a, f, false, row);
            }
        }
        return loopsAndClose(o, a, false);
    }

    /** The dense loops when gShift = 0, else the row loops; then the flavour. */
    static void flavourSwitch(Out o, Access a, boolean vector) {
        for (boolean row : new boolean[] {false, true}) {
            String args = "c, q, g" + (row ? ", gShift" : "") + ", m, s, mu, from, to" + (vector ? ", deferred" : "");
            if (row) {
                o.indent--;
            }
            o.open(row ? "} else {" : "if (gShift == 0) {");
            o.open("switch (c.flavour) {");
            for (Flavour f : Flavour.values()) {
                o.line((f == Flavour.TERMS_L2 ? "default" : "case StepCoefficients." + f.name()) + " -> fused" + cap(f) + rowSuffix(row) + "(" + args + ");");
            }
            o.close("}");
        }
        o.close("}");
    }

    static String cap(Flavour f) {
        return f == Flavour.PLAIN ? "Plain" : f.suffix;
    }

    static void opSwitch(Out o, Access a, Flavour f, boolean vector, boolean row) {
        String params = "StepCoefficients c, " + a.data() + " q, " + a.data() + " g" + (row ? ", long gShift" : "")
                + ", MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to";
        o.open("private static void fused" + cap(f) + rowSuffix(row) + "(" + params + (vector ? ", Deferred deferred" : "") + ") {");
        o.open("switch (c.op) {");
        for (Op op : OPS) {
            o.line("case " + op.constant() + " -> " + op.method(f) + rowSuffix(row) + "(c, q, g" + (row ? ", gShift" : "") + op.stateArgs() + ", from, to"
                    + (vector && op.metric() != null ? ", deferred" : "") + ");");
        }
        o.close("}");
        o.close("}");
    }

    static void scalarLoop(Out o, Op op, Flavour f, Access a, boolean row) {
        o.open("static void " + op.method(f) + rowSuffix(row) + "(" + loopParams(op, a, row) + ") {");
        String locals = coefficientLocals(op, f, a);
        if (locals != null) {
            o.line(locals);
        }
        if (row && !a.segment) {
            o.line("int gOff = (int) gShift;");
        }
        o.open(scalarLoopHeader(a));
        String t = a.elem();
        o.line(t + " gi = " + a.scalarLoadData("g", gIndex(a, row)) + ";");
        if (op.readsQEarly(f)) {
            o.line(t + " qi = " + a.scalarLoadData("q", "i") + ";");
        }
        for (String st : op.state()) {
            o.line(t + " " + st + "i = " + a.scalarLoadState(st, "i") + ";");
        }
        for (Stmt s : op.parsed(f)) {
            o.line(t + " " + s.name() + " = " + scalar(s.expr(), op, true) + ";");
        }
        o.line(t + " update = " + scalar(op.updateExpr(f), op, true) + ";");
        if (op.metric() != null) {
            o.line(t + " den = ScalarDenominator.denominator(c, " + scalar(op.metricExpr(f), op, true) + ");");
        }
        for (String st : op.state()) {
            o.line(a.scalarStoreState(st, "i", st + "New"));
        }
        String q = op.readsQEarly(f) ? "qi" : a.scalarLoadData("q", "i");
        String kept = f.decay ? "(" + q + " * decay)" : q;
        o.line(a.scalarStoreData("q", "i", kept + " - " + (op.metric() != null ? "(update / den)" : "update")));
        o.close("}");
        o.close("}");
    }

    static String describe(Access a) {
        return a.segment && a.single ? "native float segments (params, gradients and state)"
                : a.segment ? "native double segments (params, gradients and state)"
                : a.single ? "float[] params and gradients with native float state"
                : "double[] params and gradients with native double state";
    }

    static String generateVector(Access a) {
        Out o = new Out();
        o.b.append(header("""
                import static java.lang.foreign.ValueLayout.JAVA_INT;

                import java.lang.foreign.MemorySegment;
                import java.nio.ByteOrder;
                import jdk.incubator.vector.%s;
                import jdk.incubator.vector.VectorOperators;
                import jdk.incubator.vector.VectorSpecies;
                import org.cgd4j.engine.internal.kernel.DiagonalKernels;
                import org.cgd4j.engine.internal.kernel.KernelSpecies;
                import org.cgd4j.engine.internal.kernel.PanamaDenominator;
                import org.cgd4j.engine.internal.kernel.PanamaDenominator.Deferred;
                import org.cgd4j.engine.internal.kernel.PanamaPower;
                import org.cgd4j.engine.internal.kernel.StepCoefficients;

                """.formatted(a.vector()), """
                /**
                 * The Vector API loops on %s: the non-finite scan, the squares of the
                 * gradient norm, the step driver and the fused loop of each op and flavour. Every loop reads
                 * each input once and writes each output once (a dense tail's vector also reads, and does
                 * not write, the lanes before the tail), performs the operations of its {@link %s} twin
                 * in the same order (generated from the same description; no FMA) and hands its head (the
                 * elements before the first vector-aligned one, in the dense loops), and a tail shorter than
                 * a vector that it cannot take as one, to that twin, so both agree bit for bit. With a
                 * {@link Deferred} a loop stops short of q and leaves the denominator's base and the update
                 * there: a general power a is then taken a block at a time ({@link PanamaPower}).
                 */
                """.formatted(describe(a), a.scalarClass())));
        o.open("public final class " + a.vectorClass() + " {");
        o.line("private static final VectorSpecies<" + a.boxed() + "> S = KernelSpecies." + (a.single ? "FLOAT" : "DOUBLE") + ";");
        o.line("private static final int L = S.length();");
        o.line("private static final ByteOrder ORDER = ByteOrder.nativeOrder();");
        o.line("/**");
        o.line(" * Ranges at least this long start their vectors on vector boundaries (the head before goes to the scalar");
        o.line(" * twin); shorter ones sit in L1, where a split access costs little and a scalar head would cost more.");
        o.line(" */");
        o.line("private static final int ALIGN_FROM = DiagonalKernels.ALIGN_FROM;");
        if (!a.segment) {
            o.line("/**");
            o.line(" * The first index (mod L) whose vector starts on a vector boundary when the array's elements start");
            o.line(" * DiagonalKernels.HEAP_ARRAY_PHASE bytes past one: the dense loops hand the elements before it to");
            o.line(" * the scalar twin, so that no load or store of q, g (and of the state, placed at the same phase)");
            o.line(" * straddles two cache lines (at 512 bits a misaligned vector always does, and C measured 1.75×");
            o.line(" * slower so).");
            o.line(" */");
            o.line("private static final int ALIGNED = (S.vectorByteSize() - DiagonalKernels.HEAP_ARRAY_PHASE % S.vectorByteSize())");
            o.line("        % S.vectorByteSize() / " + (a.single ? "Float" : "Double") + ".BYTES;");
        }
        o.line("/** Ranges at least this long are scanned as four streams; shorter ones (up to L2's size) as one. */");
        o.line("private static final int LOCKSTEP_FROM = 1 << 18;");
        o.line("/**");
        o.line(" * The row-sparse loops step the rows a block at a time and first read one element of every cache line");
        o.line(" * of the next block's rows (params and state): Java has no prefetch instruction, and these loads, a");
        o.line(" * few instructions per line, put many more of the rows' memory misses in flight than the step's own");
        o.line(" * loads (a dozen vector operations per line) leave room for in the core's out-of-order window.");
        o.line(" */");
        o.line("private static final int TOUCH_BLOCK = 16;");
        o.line("/** Elements per 64-byte cache line. */");
        o.line("private static final int LINE = 64 / " + (a.single ? "Float" : "Double") + ".BYTES;");
        o.line("/** Where the touches' values go, so that the JIT keeps the loads (never read; races are harmless). */");
        o.line("private static int touched;");
        o.line("");
        o.open("private " + a.vectorClass() + "() {").close("}");
        o.line("");
        vectorScan(o, a);
        vectorNorm(o, a, false);
        vectorNorm(o, a, true);
        vectorDriver(o, a);
        return loopsAndClose(o, a, true);
    }

    static void vectorScan(Out o, Access a) {
        String ix = a.index();
        String sc = a.scalarClass();
        o.line("");
        o.line("// The scan: each vector's lanes with |g| <= limit (false for NaN) form a mask, and a vector with a");
        o.line("// failed lane sends us to the scalar scan for the index. Nothing is carried from one iteration to");
        o.line("// the next (a running max costs five dependent ops per vector in Java's NaN-propagating semantics;");
        o.line("// a mask carried around the loop was seen boxed by C2). Four vectors' masks are and-ed before one");
        o.line("// test and branch. Up to LOCKSTEP_FROM elements (the caches) the four are consecutive and the scan");
        o.line("// runs upwards, one stream the prefetchers follow (at f32 d = 1e5 the checked step came to");
        o.line("// 1.05-1.11x C checked so, 1.11-1.17x with the quarters, paired in one JVM); beyond, four");
        o.line("// quarters are read in lockstep (one stream alone does not reach the bandwidth");
        o.line("// the step pass gets from its four), downwards, so that the step pass finds the start of g in");
        o.line("// cache. The last d mod L elements are one vector ending at to, which overlaps the loop's last:");
        o.line("// a read, so reading twice changes nothing.");
        o.line("");
        o.line("/** As " + sc + ".firstNonFinite, a vector at a time. */");
        o.open("public static long firstNonFinite(" + a.data() + " g, long from, long to) {");
        if (a.segment) {
            o.line("long lo = from;");
            o.line("long bound = lo + S.loopBound(to - lo);");
        } else {
            o.line("int lo = (int) from;");
            o.line("int bound = lo + S.loopBound((int) to - lo);");
        }
        o.open("if (bound == lo) {");
        o.line("return " + sc + ".firstNonFinite(g, from, to);");
        o.close("}");
        o.open("if (bound < to && !" + within(a, (a.segment ? "to" : "(int) to") + " - L") + ".allTrue()) {");
        o.line("return " + sc + ".firstNonFinite(g, from, to);");
        o.close("}");
        o.open("if (bound - lo < LOCKSTEP_FROM) {");
        o.line(ix + " groups = lo + (bound - lo) / (4 * L) * (4 * L);");
        o.open("for (" + ix + " i = lo; i < groups; i += 4 * L) {");
        scanTest(o, a, sc, "i", "i + L", "i + 2 * L", "i + 3 * L");
        o.close("}");
        o.open("for (" + ix + " i = groups; i < bound; i += L) {");
        scanTest(o, a, sc, "i");
        o.close("}");
        o.line("return -1;");
        o.close("}");
        o.line(ix + " quarter = S.loopBound((bound - lo) / 4);");
        o.open("for (" + ix + " i = bound - L; i >= lo + 4 * quarter; i -= L) {");
        scanTest(o, a, sc, "i");
        o.close("}");
        o.open("for (" + ix + " i = lo + quarter - L; i >= lo; i -= L) {");
        scanTest(o, a, sc, "i", "i + quarter", "i + 2 * quarter", "i + 3 * quarter");
        o.close("}");
        o.line("return -1;");
        o.close("}");
    }

    /**
     * The lanes of the vector of g at element {@code index} whose |g| is at most the limit (false for
     * NaN), as an expression: written out wherever it is used, never a method of ours that returns the
     * mask, which C2 boxes wherever it does not inline the call (as on a path the profile saw rarely).
     */
    static String within(Access a, String index) {
        return a.vectorLoadData("g", index) + ".abs().compare(VectorOperators.LE, " + a.max() + ")";
    }

    /** "If a lane of the vectors at these indices is out of bounds, return the scalar scan's index." */
    static void scanTest(Out o, Access a, String sc, String... indices) {
        StringBuilder test = new StringBuilder("if (!" + within(a, indices[0]));
        for (int k = 1; k < indices.length; k++) {
            test.append("\n        .and(").append(within(a, indices[k])).append(")");
        }
        String[] lines = (test + ".allTrue()) {").split("\n");
        if (lines.length == 1) {
            o.open(lines[0]);
        } else {
            o.line(lines[0]);
            for (int k = 1; k < lines.length - 1; k++) {
                o.line(lines[k]);
            }
            o.open(lines[lines.length - 1]);
        }
        o.line("return " + sc + ".firstNonFinite(g, from, bound);");
        o.close("}");
    }

    /** Full blocks the norm sums at once, each in its own accumulators (independent add chains). */
    static final int NORM_GROUP = 4;

    /**
     * The (lanes, lanes per accumulator vector) shapes the vector norm handles: double L ∈ {8, 4, 2},
     * float L ∈ {16, 8, 4} (the accumulators have the gradient's type); other widths go scalar.
     */
    static int[][] normShapes(Access a) {
        return a.single ? new int[][] {{16, 16}, {8, 8}, {4, 4}} : new int[][] {{8, 8}, {4, 4}, {2, 2}};
    }

    /**
     * The norm's accumulators per block: eight doubles for double gradients; sixteen floats for float
     * gradients, squared and summed in float as torch does for float32 tensors (one 512-bit vector, so
     * no lane waits on another's add), the block's sixteen sums then combined in double.
     */
    static int accumulators(Access a) {
        return a.single ? 16 : 8;
    }

    /** The pairwise sum a0 … a(n−1), each leaf written {@code cast + "a" + k}: ((a0 + a1) + (a2 + a3)) + … */
    static String combine(int n, String cast) {
        List<String> level = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            level.add(cast + "a" + k);
        }
        while (level.size() > 1) {
            List<String> next = new ArrayList<>();
            for (int k = 0; k < level.size(); k += 2) {
                String pair = level.get(k) + " + " + level.get(k + 1);
                next.add(level.size() == 2 ? pair : "(" + pair + ")");
            }
            level = next;
        }
        return level.getFirst();
    }

    /** ", 0, 0, …": a block's accumulators, all zero. */
    static String zeros(Access a) {
        return ", 0".repeat(accumulators(a));
    }

    /**
     * The norm's block squares, a vector at a time: the block's n accumulators ({@link #accumulators})
     * are n/L vectors of L lanes (double L = 8, 4 or 2, float L = 16, 8 or 4; other widths go scalar),
     * lane j of accumulator v being a_{v·L+j}, so every a_k adds the same squares in the same order as
     * the scalar loop; the lanes then continue in the scalar finishSquares. One block alone is one
     * dependent add chain per accumulator (one per block at 512 bits), which the add latency, not
     * memory, paces (the fused scan ran 1.7–2.3× a plain scan); so whole blocks go {@link #NORM_GROUP}
     * at a time, each with its own accumulators, read in lockstep (the same sums, bit for bit, with four
     * independent chains). The group takes one block from each quarter of the range and the quarters
     * are read upwards: four long ascending streams. Groups of adjacent blocks read from the last down
     * made four 8 KB streams that restarted every 32 KB, and from DRAM the fused pass then took
     * 1.13–1.29× the plain scan (f64, d = 2^20); quarters upwards take 0.81–0.84×. With {@code check}, a
     * vector with a bad lane ends the pass and the scalar scan finds the first bad index.
     */
    static void vectorNorm(Out o, Access a, boolean check) {
        String sc = a.scalarClass();
        String ix = a.index();
        String name = check ? "firstNonFiniteSquares" : "squares";
        String cast = a.segment ? "" : "(int) ";
        String block = check ? "blockSquaresChecked" : "blockSquares";
        String group = check ? "groupSquaresChecked" : "groupSquares";
        o.line("");
        o.line("/** As " + sc + "." + name + ", a vector at a time (whole blocks " + NORM_GROUP + " at a time, one from each quarter, upwards). */");
        o.open("public static " + (check ? "long " : "void ") + name + "(" + a.data() + " g, long from, long to, double[] blockSums) {");
        o.line("long first = DiagonalKernels.normStart(from);");
        o.open("if (to <= first) {");
        o.line(check ? "return -1;" : "return;");
        o.close("}");
        o.line("// the whole blocks of [first, first + " + NORM_GROUP + "·quarter) go " + NORM_GROUP + " at a time, one from each quarter; the rest one at a time");
        o.line("long quarter = (to - first) / " + NB + " / " + NORM_GROUP + " * " + NB + ";");
        o.open("for (long start = first; start < first + quarter; start += " + NB + ") {");
        if (check) {
            o.open("if (!" + group + "(g, " + cast + "start, " + cast + "quarter, blockSums)) {");
            o.line("return " + sc + ".firstNonFinite(g, from, to);");
            o.close("}");
        } else {
            o.line(group + "(g, " + cast + "start, " + cast + "quarter, blockSums);");
        }
        o.close("}");
        o.open("for (long start = first + " + NORM_GROUP + " * quarter; start < to; start += " + NB + ") {");
        o.line("double sum = " + block + "(g, " + cast + "start, " + cast + "Math.min(start + " + NB + ", to));");
        if (check) {
            o.open("if (sum < 0) {");
            o.line("return " + sc + ".firstNonFinite(g, from, to);");
            o.close("}");
        }
        o.line("blockSums[(int) (start / " + NB + ")] = sum;");
        o.close("}");
        if (check) {
            o.line("return -1;");
        }
        o.close("}");
        groupSquares(o, a, check);
        o.line("");
        o.line(check ? "/** The squares of one block, or −1 when an element is NaN, infinite or beyond the limit. */"
                : "/** The squares of one block. */");
        o.open("private static double " + block + "(" + a.data() + " g, " + ix + " from, " + ix + " to) {");
        o.line(a.vector() + " a0 = " + a.vector() + ".zero(S), a1 = a0, a2 = a0, a3 = a0;");
        o.line(ix + " i = from;");
        boolean firstShape = true;
        for (int[] shape : normShapes(a)) {
            int lanes = shape[0], dl = shape[1];
            if (!firstShape) {
                o.indent--;
            }
            o.open((firstShape ? "if" : "} else if") + " (L == " + lanes + ") {");
            firstShape = false;
            int unit = Math.max(accumulators(a), lanes);
            o.open("for (; i <= to - " + unit + "; i += " + unit + ") {");
            normUnit(o, a, check, lanes, dl, List.of(""), "i", "-1");
            o.close("}");
            if (check) {
                o.open("if (" + sc + ".firstNonFinite(g, i, to) >= 0) {");
                o.line("return -1;");
                o.close("}");
            }
            o.line("return " + sc + ".finishSquares(g, i, to" + lanes("", dl, accumulators(a)) + ");");
        }
        o.close("}");
        if (check) {
            o.open("if (" + sc + ".firstNonFinite(g, from, to) >= 0) {");
            o.line("return -1;");
            o.close("}");
        }
        o.line("return " + sc + ".finishSquares(g, from, to" + zeros(a) + ");");
        o.close("}");
    }

    /**
     * {@link #NORM_GROUP} whole blocks in lockstep, the k-th at {@code start + k·quarter}: block b keeps
     * its accumulators b0, b1, … and reads g at i + b·quarter, so each block's sum is the one
     * blockSquares gives.
     * Shapes with more than two accumulators per block (L' = 2) would run out of registers and take the
     * blocks one at a time.
     */
    static void groupSquares(Out o, Access a, boolean check) {
        String sc = a.scalarClass();
        String ix = a.index();
        String block = check ? "blockSquaresChecked" : "blockSquares";
        o.line("");
        o.line("/** The squares of the " + NORM_GROUP + " whole blocks at {@code start + k·quarter} into blockSums" + (check ? ", or false (nothing"
                + " meaningful written) when an element is NaN, infinite or beyond the limit" : "") + ". */");
        o.open("private static " + (check ? "boolean " : "void ") + (check ? "groupSquaresChecked" : "groupSquares") + "(" + a.data()
                + " g, " + ix + " start, " + ix + " quarter, double[] blockSums) {");
        o.line("int b = " + (a.segment ? "(int) (start / " + NB + ")" : "start / " + NB) + ";");
        o.line("int bq = " + (a.segment ? "(int) (quarter / " + NB + ")" : "quarter / " + NB) + ";");
        List<String> blocks = new ArrayList<>();
        for (int k = 0; k < NORM_GROUP; k++) {
            blocks.add(String.valueOf((char) ('a' + k)));
        }
        boolean firstShape = true;
        for (int[] shape : normShapes(a)) {
            int lanes = shape[0], dl = shape[1];
            if (accumulators(a) / dl > 2) {
                continue;
            }
            if (!firstShape) {
                o.indent--;
            }
            o.open((firstShape ? "if" : "} else if") + " (L == " + lanes + ") {");
            firstShape = false;
            StringBuilder zero = new StringBuilder(a.vector() + " ");
            for (String p : blocks) {
                for (int acc = 0; acc < accumulators(a) / dl; acc++) {
                    zero.append(p.equals("a") && acc == 0 ? "a0 = " + a.vector() + ".zero(S)" : ", " + p + acc + " = a0");
                }
            }
            o.line(zero + ";");
            int unit = Math.max(accumulators(a), lanes);
            o.open("for (" + ix + " i = start; i < start + " + NB + "; i += " + unit + ") {");
            normUnit(o, a, check, lanes, dl, blocks, "i", "false");
            o.close("}");
            for (int k = 0; k < NORM_GROUP; k++) {
                o.line("blockSums[b" + (k == 0 ? "" : " + " + (k == 1 ? "bq" : k + " * bq")) + "] = " + sc + ".finishSquares(g, start, start" + lanes(blocks.get(k), dl, accumulators(a)) + ");");
            }
            o.line(check ? "return true;" : "return;");
        }
        o.close("}");
        o.open("for (int k = 0; k < " + NORM_GROUP + "; k++) {");
        o.line("double sum = " + block + "(g, start + k * quarter, start + k * quarter + " + NB + ");");
        if (check) {
            o.open("if (sum < 0) {");
            o.line("return false;");
            o.close("}");
        }
        o.line("blockSums[b + k * bq] = sum;");
        o.close("}");
        if (check) {
            o.line("return true;");
        }
        o.close("}");
    }

    /** ", p0.lane(0), …": the n accumulators a_k = p{k / dl}.lane(k mod dl) of one block. */
    static String lanes(String prefix, int dl, int n) {
        StringBuilder out = new StringBuilder();
        String p = prefix.isEmpty() ? "a" : prefix;
        for (int k = 0; k < n; k++) {
            out.append(", ").append(p).append(k / dl).append(".lane(").append(k % dl).append(")");
        }
        return out.toString();
    }

    /**
     * One unit (max(n, L) elements, n accumulators) of the norm for each block prefix (the empty prefix:
     * one block, accumulators a0…): load, optionally check (a failed lane returns {@code fail}), and add
     * each square to accumulator (load mod n/L), in element order.
     */
    static void normUnit(Out o, Access a, boolean check, int lanes, int dl, List<String> blocks, String i, String fail) {
        int loads = Math.max(accumulators(a), lanes) / lanes;
        int accs = accumulators(a) / dl;
        StringBuilder cond = new StringBuilder();
        for (int k = 0; k < blocks.size(); k++) {
            String p = blocks.get(k);
            String base = k == 0 ? i : i + " + " + (k == 1 ? "quarter" : k + " * quarter");
            for (int v = 0; v < loads; v++) {
                String at = v == 0 ? base : base + " + " + v * lanes;
                o.line(a.vector() + " " + p + "x" + v + " = " + a.vectorLoadData("g", at) + ";");
                String m = p + "x" + v + ".abs().compare(VectorOperators.LE, " + a.max() + ")";
                cond.append(cond.length() == 0 ? m : ".and(" + m + ")");
            }
        }
        if (check) {
            o.open("if (!" + cond + ".allTrue()) {");
            o.line("return " + fail + ";");
            o.close("}");
        }
        for (String p : blocks) {
            String acc = p.isEmpty() ? "a" : p;
            int part = 0;
            for (int v = 0; v < loads; v++) {
                String x = p + "x" + v;
                String target = acc + (part++ % accs);
                o.line(target + " = " + target + ".add(" + x + ".mul(" + x + "));");
            }
        }
    }

    static void vectorDriver(Out o, Access a) {
        String v = a.vector();
        String f = a.suffix();
        o.line("");
        o.line("// A general power a, block by block: the fused loop updates the state of a block and leaves each");
        o.line("// element's base ε + max(X̂, 0) and its update in the thread's Deferred; PanamaPower raises the bases");
        o.line("// to a in two loops whose iterations the core overlaps; a last loop applies q ← q − update/(base^a + ε')");
        o.line("// (q·decay − … with the training-loop terms). The block stays in L1, so memory traffic is that of the");
        o.line("// one fused pass.");
        o.line("");
        o.line("/** One fused step over [from, to), g read at i + gShift, as " + a.scalarClass() + ".step. */");
        o.open("public static void step(" + stepParams(a) + ") {");
        o.open("if (!PanamaDenominator.blocked(c)) {");
        o.line("fused(c, q, g, gShift, m, s, mu, from, to, null);");
        o.line("return;");
        o.close("}");
        o.line("Deferred d = PanamaDenominator.DEFERRED.get();");
        o.line("boolean plain = c.flavour == StepCoefficients.PLAIN;");
        o.line(a.elem() + " decay = c." + a.coef("decay") + ";");
        if (a.segment) {
            o.line("long bound = from + S.loopBound(to - from);");
            o.open("for (long start = from; start < bound; start += PanamaDenominator.BLOCK) {");
            o.line("int n = (int) Math.min(PanamaDenominator.BLOCK, bound - start);");
        } else {
            o.line("int bound = (int) from + S.loopBound((int) (to - from));");
            o.open("for (int start = (int) from; start < bound; start += PanamaDenominator.BLOCK) {");
            o.line("int n = Math.min(PanamaDenominator.BLOCK, bound - start);");
        }
        o.line("fused(c, q, g, gShift, m, s, mu, start, start + n, d);");
        o.line("PanamaPower.pow(d.base" + f + ", d.hi" + f + ", d.lo" + f + ", n, c." + a.coef("power") + ");");
        for (boolean plain : new boolean[] {true, false}) {
            o.open(plain ? "if (plain) {" : "} else {");
            o.open("for (int j = 0; j < n; j += L) {");
            o.line(v + " den = " + v + ".fromArray(S, d.base" + f + ", j).add(c." + a.coef("epsilonOutside") + ");");
            String q = a.vectorLoadData("q", "start + j") + (plain ? "" : ".mul(decay)");
            o.line(a.vectorStoreData(q + ".sub(" + v + ".fromArray(S, d.update" + f + ", j).div(den))", "q", "start + j"));
            o.close("}");
            o.indent--;
        }
        o.indent++;
        o.close("}");
        o.close("}");
        o.line(a.scalarClass() + ".step(c, q, g, gShift, m, s, mu, bound, to);");
        o.close("}");
        o.line("");
        o.line("/** The fused loop of c.op and c.flavour over [from, to); with a Deferred, the loop stops short of q. */");
        o.open("private static void fused(" + stepParams(a) + ", Deferred deferred) {");
        flavourSwitch(o, a, true);
        o.close("}");
        for (boolean row : new boolean[] {false, true}) {
            for (Flavour fl : Flavour.values()) {
                o.line("");
                opSwitch(o, a, fl, true, row);
            }
        }
        vectorRowsDriver(o, a);
        touchHelpers(o, a);
    }

    /**
     * The row-sparse driver: one call for every distinct row, so that the core overlaps one row's
     * memory accesses with the next rows' (a call per row spent ~95 ns in dispatch per 64-float row
     * and kept the out-of-order window from reaching the next row). A general power keeps the row
     * by row block path.
     */
    /** The rows one at a time through the class's own step (the scalar stepRows, and a general power's path). */
    static void stepEachRow(Out o) {
        o.open("for (int k = 0; k < count; k++) {");
        o.line("long from = (long) rows[k] * cols;");
        o.line("step(c, q, g, (long) k * cols - from, m, s, mu, from, from + cols);");
        o.close("}");
    }

    static void vectorRowsDriver(Out o, Access a) {
        o.line("");
        o.line("/** As " + a.scalarClass() + ".stepRows: the loop of c.op and c.flavour over every listed row in one call. */");
        o.open("public static void stepRows(" + rowsParams(a) + ") {");
        o.open("if (PanamaDenominator.blocked(c)) {");
        stepEachRow(o);
        o.line("return;");
        o.close("}");
        o.open("switch (c.flavour) {");
        for (Flavour f : Flavour.values()) {
            o.line((f == Flavour.TERMS_L2 ? "default" : "case StepCoefficients." + f.name()) + " -> fused" + cap(f)
                    + "Rows(c, q, g, rows, count, cols, m, s, mu);");
        }
        o.close("}");
        o.close("}");
        for (Flavour f : Flavour.values()) {
            o.line("");
            o.open("private static void fused" + cap(f) + "Rows(" + rowsParams(a) + ") {");
            o.open("switch (c.op) {");
            for (Op op : OPS) {
                o.line("case " + op.constant() + " -> " + op.method(f) + "Rows(c, q, g, rows, count, cols" + op.stateArgs() + ");");
            }
            o.close("}");
            o.close("}");
        }
    }

    /**
     * The fused loop of one op and flavour over the listed rows: per row, its whole vectors, then its
     * tail (fewer than L elements) in the scalar row loop; each element as the row loop computes it.
     */
    static void vectorRowsLoop(Out o, Op op, Flavour f, Access a) {
        o.open("static void " + op.method(f) + "Rows(StepCoefficients c, " + a.data() + " q, " + a.data()
                + " g, int[] rows, int count, int cols" + op.stateParams() + ") {");
        String locals = coefficientLocals(op, f, a);
        if (locals != null) {
            o.line(locals);
        }
        String touchArgs = "q, rows, %s, %s, cols" + op.stateArgs() + ")";
        o.line("int seen = " + touchName(op) + "(" + touchArgs.formatted("0", "Math.min(TOUCH_BLOCK, count)") + ";");
        o.open("for (int block = 0; block < count; block += TOUCH_BLOCK) {");
        o.line("int end = Math.min(block + TOUCH_BLOCK, count);");
        o.line("seen ^= " + touchName(op) + "(" + touchArgs.formatted("end", "Math.min(end + TOUCH_BLOCK, count)") + ";");
        o.open("for (int k = block; k < end; k++) {");
        String ix = a.index();
        String shift = a.segment ? "gShift" : "gOff";
        if (a.segment) {
            o.line("long from = (long) rows[k] * cols;");
            o.line("long gShift = (long) k * cols - from;");
        } else {
            o.line("int from = rows[k] * cols;");
            o.line("int gOff = k * cols - from;");
        }
        o.line("long to = from + cols; // long, as the loop body (shared with the row loops) expects");
        o.line(ix + " i = from;");
        o.open("if (cols >= L) { // as the other loops: a whole-vector guard (see vectorLoop)");
        vectorLoopBody(o, op, f, a, true, false);
        o.close("}");
        o.open("if (i < to) {");
        o.line(a.scalarClass() + "." + op.method(f) + "Row(c, q, g, " + shift + op.stateArgs() + ", i, to);");
        o.close("}");
        o.close("}");
        o.close("}");
        o.line("touched = seen;");
        o.close("}");
    }

    /** The touch helper of an op's streams: one per distinct state list (flavours share it). */
    static String touchName(Op op) {
        return "touch" + (op.state().isEmpty() ? "" : String.join("", op.state().stream().map(x -> x.substring(0, 1).toUpperCase() + x.substring(1)).toList()));
    }

    /**
     * touch{streams}(q, rows, from, to, cols, state...): reads one element of every cache line of the
     * rows rows[from..to) in q and in each state stream (every LINE-th element from the row's start,
     * and q's last element: see touchValue), and returns their bits xor-ed together.
     */
    static void touchHelpers(Out o, Access a) {
        Set<String> done = new LinkedHashSet<>();
        for (Op op : OPS) {
            String name = touchName(op);
            if (!done.add(name)) {
                continue;
            }
            o.line("");
            o.line("/** Reads a value of every cache line of rows[from..to) in q" + (op.state().isEmpty() ? "" : " and " + String.join(", ", op.state()))
                    + " (see TOUCH_BLOCK); their bits xor-ed. */");
            o.open("private static int " + name + "(" + a.data() + " q, int[] rows, int from, int to, int cols" + op.stateParams() + ") {");
            o.line("int seen = 0;");
            String ix = a.index();
            o.open("for (int k = from; k < to; k++) {");
            o.line(ix + " row = " + (a.segment ? "(long) " : "") + "rows[k] * cols;");
            o.open("for (int j = 0; j < cols; j += LINE) {");
            o.line("seen ^= " + touchValue(a, op, "row + j", true) + ";");
            o.close("}");
            o.line("seen ^= " + touchValue(a, op, "row + cols - 1", false) + ";");
            o.close("}");
            o.line("return seen;");
            o.close("}");
        }
    }

    /**
     * The xor of q's bits at element j and, with {@code state}, the op's state streams' (read as ints:
     * any aligned 4 bytes do). Only q's last element is read besides every LINE-th: a heap array's
     * rows start 16 bytes past a line, so its last line would be missed; the state's rows start where
     * the params' do or on a line. (Reading the state's last elements too measured slower.)
     */
    static String touchValue(Access a, Op op, String j, boolean state) {
        String qBits = a.segment ? "q.get(JAVA_INT, " + a.offset(j, false) + ")"
                : (a.single ? "Float.floatToRawIntBits(q[" + j + "])" : "(int) Double.doubleToRawLongBits(q[" + j + "])");
        StringBuilder b = new StringBuilder(qBits);
        if (state) {
            for (String st : op.state()) {
                b.append(" ^ ").append(st).append(".get(JAVA_INT, ").append(a.offset(j, !a.segment)).append(")");
            }
        }
        return b.toString();
    }

    static void vectorLoop(Out o, Op op, Flavour f, Access a, boolean row) {
        String v = a.vector();
        o.open("static void " + op.method(f) + rowSuffix(row) + "(" + loopParams(op, a, row) + (op.metric() != null ? ", Deferred deferred" : "") + ") {");
        String locals = coefficientLocals(op, f, a);
        if (locals != null) {
            o.line(locals);
        }
        if (a.segment) {
            o.line("long i = from;");
            if (!row) {
                // the head up to the first index where q's vectors sit on vector boundaries
                String deferred = op.metric() != null ? "deferred != null ? i : " : "";
                o.line("long head = " + deferred + "to - i < ALIGN_FROM ? i : i + ((-(q.address() + (i << " + a.shift() + ")) & (S.vectorByteSize() - 1)) >> " + a.shift() + ");");
                o.open("if (i < head) {");
                o.line(a.scalarClass() + "." + op.method(f) + "(c, q, g" + op.stateArgs() + ", i, head);");
                o.close("}");
                o.line("i = head;");
            }
        } else {
            if (row) {
                o.line("int gOff = (int) gShift;");
            }
            o.line("int i = (int) from;");
            if (!row) {
                // the head up to the first index where the heap arrays' vectors sit on vector boundaries
                String deferred = op.metric() != null ? "deferred != null ? i : " : "";
                o.line("int head = " + deferred + "to - i < ALIGN_FROM ? i : i + ((ALIGNED - i) & (L - 1));");
                o.open("if (i < head) {");
                o.line(a.scalarClass() + "." + op.method(f) + "(c, q, g" + op.stateArgs() + ", i, head);");
                o.close("}");
                o.line("i = head;");
            }
        }
        // The guard and the two loops keep C2 out of a deoptimization loop. Without them, KRONECKER's frame
        // step (ranges of every block size, some shorter than one vector) made the profiled loop predicates
        // that C2 hoists above the vector loop fail on every step: deoptimized, recompiled, failed again,
        // with the step running boxed Vector API code meanwhile (2-4x slower, 120-240 MB allocated per step).
        // The guard skips a loop with no whole vector; the test of deferred sits outside the loop, not in it.
        o.open("if (to - i >= L) {");
        if (op.metric() == null) {
            vectorLoopToEnd(o, op, f, a, row);
        } else {
            o.open("if (deferred == null) {");
            vectorLoopToEnd(o, op, f, a, row);
            o.close("} else {").indent++;
            vectorLoopBody(o, op, f, a, row, true);
            o.close("}");
        }
        o.close("}");
        // The scalar calls sit behind tests that a step never passing them lets C2 drop (a scalar loop
        // inlined where it never runs still counts towards the size past which C2 inlines no more).
        String scalarTail = a.scalarClass() + "." + op.method(f) + rowSuffix(row) + "(c, q, g" + (row ? ", gShift" : "") + op.stateArgs() + ", i, to);";
        o.open("if (i < to) {");
        o.line(scalarTail);
        o.close("}");
        o.close("}");
    }

    /**
     * The non-deferring vector loop from i to the range's end: a dense range's last vector is the whole
     * vector at to − L, computed before the loop from the values there (the loop has not yet written any
     * of its lanes) and stored, unmasked, after it; the loop stops short of it. Where it overlaps the
     * loop's last vector both write the same values: a lane reads only its own element, before writing it
     * (q may alias g, as DiagonalUpdate passes them; the state never overlaps either), with its scalar
     * twin's operations, so the result is the scalar loop's bit for bit.
     * It replaced a masked tail (the tail's lanes of the vector at to − L, stored after the loop with masked
     * stores), which on AMD Zen 4 cost a 1000-float Adam step 10–13 ns more than this (3–4%). Not a scalar
     * tail: that cost a sixth of a 1000-float step (up to fifteen scalar square roots and divisions). In
     * line, not a method of its own: called once a step, such a method stayed with C1, which boxes every
     * vector. Row loops keep their scalar tails.
     */
    static void vectorLoopToEnd(Out o, Op op, Flavour f, Access a, boolean row) {
        if (row) {
            vectorLoopBody(o, op, f, a, true, false, false);
            return;
        }
        String v = a.vector();
        o.line((a.segment ? "long last = " : "int last = (int) ") + "to - L;");
        List<String> outs = new ArrayList<>();
        for (String st : op.state()) {
            outs.add(st + "Last");
        }
        outs.add("qLast");
        o.line(v + " " + String.join(", ", outs) + ";");
        o.open("{");
        vectorUpdate(o, op, f, a, false, false, "last");
        o.close("}");
        vectorLoopBody(o, op, f, a, false, false, true);
        for (String st : op.state()) {
            o.line(a.vectorStoreState(st + "Last", st, "last"));
        }
        o.line(a.vectorStoreData("qLast", "q", "last"));
        o.line("i = " + (a.segment ? "" : "(int) ") + "to;");
    }

    /** The vector loop over [i, bound): the fused update, ending in q's store or (deferring) in the block's scratch. */
    static void vectorLoopBody(Out o, Op op, Flavour f, Access a, boolean row, boolean deferring) {
        vectorLoopBody(o, op, f, a, row, deferring, false);
    }

    /** As above; {@code shortOfLast}: the loop leaves the range's last whole vector (or part-vector) alone. */
    static void vectorLoopBody(Out o, Op op, Flavour f, Access a, boolean row, boolean deferring, boolean shortOfLast) {
        String n = shortOfLast ? " - 1" : "";
        if (a.segment) {
            o.open("for (long bound = i + S.loopBound(to - i" + n + "); i < bound; i += L) {");
        } else {
            o.open("for (int bound = i + S.loopBound((int) to - i" + n + "); i < bound; i += L) {");
        }
        vectorUpdate(o, op, f, a, row, deferring, null);
        o.close("}");
    }

    /**
     * den = (ε + max(metric, 0))^a + ε' for the powers a loop takes in line (ScalarDenominator's
     * operations; a general power goes through Deferred). Written out, not called: C2 inlines a call of
     * ours (unlike the Vector API's own, which it must inline) only while the method is small enough and
     * the call site hot, and a refused one boxes every vector passed through it, as a tail vector's did.
     * max(x, 0) as "x &lt; 0 ? 0 : x", a compare and a blend (Java's max costs five ops for its NaN and
     * sign-of-zero rules); the two differ only at x = −0, and ε + (−0) = ε + (+0) as ε is never −0.
     */
    static void denominator(Out o, Access a) {
        String v = a.vector();
        o.line(v + " base = " + baseOf(a) + ";");
        o.open(v + " den = switch (c.powerKind) {");
        o.line("case StepCoefficients.POWER_SQRT -> base.sqrt().add(c." + a.coef("epsilonOutside") + ");");
        o.line("case StepCoefficients.POWER_ONE -> base.add(c." + a.coef("epsilonOutside") + ");");
        o.line("case StepCoefficients.POWER_ZERO -> " + v + ".broadcast(S, " + (a.single ? "1f" : "1") + " + c." + a.coef("epsilonOutside") + ");");
        o.line("default -> throw new IllegalStateException(\"a general power runs block by block\");");
        o.close("};");
    }

    /** The base ε + max(metric, 0) of the denominator (see denominator()). */
    static String baseOf(Access a) {
        return "metric.blend(" + a.vector() + ".zero(S), metric.lt(" + (a.single ? "0f" : "0.0") + ")).add(c." + a.coef("epsilon") + ")";
    }

    /**
     * One vector of the fused update at i; with {@code last} (an index name), the vector at that index
     * into the locals {state}Last and qLast instead of stores (see vectorLoopToEnd).
     */
    static void vectorUpdate(Out o, Op op, Flavour f, Access a, boolean row, boolean deferring, String last) {
        String v = a.vector();
        String at = last != null ? last : "i";
        o.line(v + " gi = " + a.vectorLoadData("g", last != null ? last : gIndex(a, row)) + ";");
        if (op.readsQEarly(f)) {
            o.line(v + " qi = " + a.vectorLoadData("q", at) + ";");
        }
        for (String st : op.state()) {
            o.line(v + " " + st + "i = " + a.vectorLoadState(st, at) + ";");
        }
        for (Stmt s : op.parsed(f)) {
            o.line(v + " " + s.name() + " = " + vector(s.expr(), op) + ";");
        }
        o.line(v + " update = " + vector(op.updateExpr(f), op) + ";");
        if (op.metric() != null) {
            o.line(v + " metric = " + vector(op.metricExpr(f), op) + ";");
        }
        for (String st : op.state()) {
            o.line(last != null ? st + "Last = " + st + "New;" : a.vectorStoreState(st + "New", st, "i"));
        }
        String q = op.readsQEarly(f) ? "qi" : a.vectorLoadData("q", at);
        String kept = f.decay ? q + ".mul(decay)" : q;
        if (deferring) {
            // the base and the update into the block's scratch (written out, as denominator() says why)
            o.line(baseOf(a) + ".intoArray(deferred.base" + a.suffix() + ", (int) (i - from));");
            o.line("update.intoArray(deferred.update" + a.suffix() + ", (int) (i - from));");
            return;
        }
        String newQ;
        if (op.metric() != null) {
            denominator(o, a);
            newQ = kept + ".sub(update.div(den))";
        } else {
            newQ = kept + ".sub(update)";
        }
        o.line(last != null ? "qLast = " + newQ + ";" : a.vectorStoreData(newQ, "q", "i"));
    }

    /** Every fused loop (dense and row, each flavour, each op), FULL's helpers on segments, and the class's end. */
    static String loopsAndClose(Out o, Access a, boolean vector) {
        for (boolean row : new boolean[] {false, true}) {
            for (Flavour f : Flavour.values()) {
                for (Op op : OPS) {
                    o.line("");
                    if (vector) {
                        vectorLoop(o, op, f, a, row);
                    } else {
                        scalarLoop(o, op, f, a, row);
                    }
                }
            }
        }
        if (vector) {
            for (Flavour f : Flavour.values()) {
                for (Op op : OPS) {
                    o.line("");
                    vectorRowsLoop(o, op, f, a);
                }
            }
        }
        if (a.segment && !a.single) { // FULL keeps doubles only
            fullHelpers(o, vector);
        }
        o.close("}");
        return o.b.toString();
    }

    /** The FULL structure's two element-wise helpers, on native double segments (SPEC steps 1–2 and 5). */
    static void fullHelpers(Out o, boolean vector) {
        segmentLoop(o, vector, "avg ← avg·β + g·(1−β) over [from, to) (FULL's moment updates).", "average",
                "MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta", "avg", "avg * beta + g * oneMinusBeta",
                Set.of("beta", "oneMinusBeta"));
        segmentLoop(o, vector, "q ← q − p·scale over [from, to) (FULL's parameter update).", "subtractScaled",
                "MemorySegment q, MemorySegment p, double scale", "q", "q - p * scale", Set.of("scale"));
    }

    /** target[i] ← expr over native double segments; names in {@code scalars} are double arguments. */
    static void segmentLoop(Out o, boolean vector, String doc, String name, String params, String target, String expr, Set<String> scalars) {
        Expr e = Expr.parse(expr);
        List<String> args = new ArrayList<>();
        for (String p : params.split(", ")) {
            args.add(p.substring(p.indexOf(' ') + 1));
        }
        o.line("");
        o.line("/** " + doc + " */");
        o.open("public static void " + name + "(" + params + ", long from, long to) {");
        if (vector) {
            o.line("long i = from;");
            o.open("for (long bound = from + S.loopBound(to - from); i < bound; i += L) {");
            o.line(simple(e, scalars, true) + ".intoMemorySegment(" + target + ", i << 3, ORDER);");
            o.close("}");
            o.line("ScalarSegmentLoops." + name + "(" + String.join(", ", args) + ", i, to);");
        } else {
            o.open("for (long i = from; i < to; i++) {");
            o.line(target + ".setAtIndex(JAVA_DOUBLE, i, " + simple(e, scalars, false) + ");");
            o.close("}");
        }
        o.close("}");
    }

    /** An expression over segments read at i (and scalar arguments), in the scalar or the Vector API form. */
    static String simple(Expr e, Set<String> scalars, boolean vector) {
        if (e instanceof Name n) {
            if (scalars.contains(n.name())) {
                return n.name();
            }
            return vector ? "DoubleVector.fromMemorySegment(S, " + n.name() + ", i << 3, ORDER)" : n.name() + ".getAtIndex(JAVA_DOUBLE, i)";
        }
        Bin b = (Bin) e;
        if (!vector) {
            return simple(b.left(), scalars, false) + " " + b.op() + " " + paren(simple(b.right(), scalars, false), b.right());
        }
        String method = b.op() == '+' ? "add" : b.op() == '-' ? "sub" : b.op() == '*' ? "mul" : "div";
        return simple(b.left(), scalars, true) + "." + method + "(" + simple(b.right(), scalars, true) + ")";
    }

    /** Parenthesises a right operand that is itself an operation (left association gives the rest). */
    static String paren(String text, Expr e) {
        return e instanceof Bin ? "(" + text + ")" : text;
    }

    /** An interface method that hands its arguments to a generated class's static method. */
    static void delegate(Out o, String signature, String target, String call) {
        o.line("");
        o.line("@Override");
        o.open("public " + signature + " {");
        o.line((signature.startsWith("void") ? "" : "return ") + target + "." + call + ";");
        o.close("}");
    }

    /** The DiagonalKernels implementation over the scalar or the Vector API classes of every access kind. */
    static String generateEntry(boolean vector) {
        String cls = vector ? "PanamaKernels" : "ScalarKernels";
        Out o = new Out();
        String imports = "import java.lang.foreign.MemorySegment;\n"
                + (vector ? "import jdk.incubator.vector.DoubleVector;\n" : "")
                + "import org.cgd4j.engine.internal.kernel.DiagonalKernels;\n"
                + (vector ? "import org.cgd4j.engine.internal.kernel.KernelSpecies;\n" : "")
                + "import org.cgd4j.engine.internal.kernel.StepCoefficients;\n\n";
        String doc = vector ? """
                /**
                 * The Vector API kernels over KernelSpecies' species (KernelLookup loads this class by name, so
                 * nothing else links against {@code jdk.incubator.vector}): each method hands its access kind to
                 * its own generated class, so every Vector API load site sees one kind of memory (a site that
                 * sees heap and native memory falls off its intrinsic, ~100× slower).
                 */
                """ : """
                /** The plain Java kernels: the reference of the Vector API kernels, and their fallback. */
                """;
        o.b.append(header(imports, doc));
        o.open("public final class " + cls + " implements DiagonalKernels {");
        if (vector) {
            o.line("private static final int DOUBLES = KernelSpecies.DOUBLE.length();");
            o.line("private static final int FLOATS = KernelSpecies.FLOAT.length();");
            o.line("");
            o.line("/** Refuses a preferred vector narrower than 128 bits (SIMD would not beat scalar code). */");
            o.open("public PanamaKernels() {");
            o.open("if (DoubleVector.SPECIES_PREFERRED.vectorBitSize() < 128) {");
            o.line("throw new UnsupportedOperationException(\"the preferred vector is only \" + DoubleVector.SPECIES_PREFERRED.vectorBitSize()");
            o.line("        + \" bits wide; SIMD would not beat scalar code\");");
            o.close("}");
            o.close("}");
            o.line("");
            o.line("@Override public String name() { return \"vector\"; }");
            o.line("@Override public int doubleLanes() { return DOUBLES; }");
            o.line("@Override public int floatLanes() { return FLOATS; }");
        } else {
            o.line("@Override public String name() { return \"scalar\"; }");
            o.line("@Override public int doubleLanes() { return 1; }");
            o.line("@Override public int floatLanes() { return 1; }");
        }
        for (Access a : ACCESSES) {
            String target = vector ? a.vectorClass() : a.scalarClass();
            // Native float segments have the double segments' signatures: their methods carry a suffix.
            String suffix = a.segment && a.single ? "Float" : "";
            delegate(o, "long firstNonFinite" + suffix + "(" + a.data() + " g, long from, long to)", target,
                    "firstNonFinite(g, from, to)");
            delegate(o, "long firstNonFiniteSquares" + suffix + "(" + a.data() + " g, long from, long to, double[] blockSums)",
                    target, "firstNonFiniteSquares(g, from, to, blockSums)");
            delegate(o, "void squares" + suffix + "(" + a.data() + " g, long from, long to, double[] blockSums)", target,
                    "squares(g, from, to, blockSums)");
            delegate(o, "void step" + suffix + "(" + stepParams(a) + ")", target, "step(c, q, g, gShift, m, s, mu, from, to)");
            delegate(o, "void stepRows" + suffix + "(" + rowsParams(a) + ")", target, "stepRows(c, q, g, rows, count, cols, m, s, mu)");
        }
        String seg = vector ? "PanamaSegmentLoops" : "ScalarSegmentLoops";
        delegate(o, "void average(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to)", seg,
                "average(avg, g, beta, oneMinusBeta, from, to)");
        delegate(o, "void subtractScaled(MemorySegment q, MemorySegment p, double scale, long from, long to)", seg,
                "subtractScaled(q, p, scale, from, to)");
        o.close("}");
        return o.b.toString();
    }

    // ------------------------------------------------------------------------------------------

    static Map<String, String> generate() {
        Map<String, String> files = new LinkedHashMap<>();
        for (Access a : ACCESSES) {
            files.put(a.scalarClass() + ".java", generateScalar(a));
            files.put(a.vectorClass() + ".java", generateVector(a));
        }
        files.put("ScalarKernels.java", generateEntry(false));
        files.put("PanamaKernels.java", generateEntry(true));
        return files;
    }

    public static void main(String[] args) throws IOException {
        boolean check = args.length > 0 && args[0].equals("--check");
        Path out = args.length > (check ? 1 : 0) ? Path.of(args[check ? 1 : 0]) : OUT;
        Map<String, String> files = generate();
        List<String> stale = new ArrayList<>();
        Set<String> present = new LinkedHashSet<>();
        if (Files.isDirectory(out)) {
            try (var list = Files.list(out)) {
                list.filter(p -> p.toString().endsWith(".java")).forEach(p -> present.add(p.getFileName().toString()));
            }
        }
        for (String extra : present) {
            if (!files.containsKey(extra)) {
                stale.add(extra + " (not generated: delete it)");
            }
        }
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = out.resolve(e.getKey());
            String old = Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
            if (e.getValue().equals(old)) {
                continue;
            }
            if (check) {
                stale.add(e.getKey() + (old == null ? " (missing)" : " (differs)"));
            } else {
                Files.createDirectories(out);
                Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
                System.out.println("wrote " + p);
            }
        }
        if (check && !stale.isEmpty()) {
            System.err.println("generated kernel loops are stale; run java tools/kernelgen/KernelGen.java from the repository root:");
            stale.forEach(s -> System.err.println("  " + out.resolve(s)));
            System.exit(1);
        }
        if (!check) {
            for (String s : stale) {
                System.err.println("stale: " + out.resolve(s));
            }
        }
    }
}
