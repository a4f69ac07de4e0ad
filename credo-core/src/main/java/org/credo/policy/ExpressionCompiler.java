package org.credo.policy;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Compiles policy expressions with CEL: the two environments a policy's expressions run in. */
final class ExpressionCompiler {
  /** Variables of conditions (list {@code when}, purpose {@code allow_if} …). */
  static final Map<String, CelType> CONDITION_VARIABLES =
      Map.of(
          "score", SimpleType.DOUBLE,
          "grade", SimpleType.STRING,
          "lists", ListType.create(SimpleType.STRING),
          "factors", MapType.create(SimpleType.STRING, SimpleType.DOUBLE),
          "records", MapType.create(SimpleType.STRING, SimpleType.INT));

  static final Set<String> NAMED_COLLECTIONS = Set.of("lists", "factors", "records");

  private static final CelOptions OPTIONS =
      CelOptions.current().enableHeterogeneousNumericComparisons(true).build();

  private static final List<CelFunctionDecl> FUNCTIONS =
      List.of(
          CelFunctionDecl.newFunctionDeclaration(
              "min",
              CelOverloadDecl.newGlobalOverload(
                  "credo_min_double", SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.DOUBLE)),
          CelFunctionDecl.newFunctionDeclaration(
              "max",
              CelOverloadDecl.newGlobalOverload(
                  "credo_max_double", SimpleType.DOUBLE, SimpleType.DOUBLE, SimpleType.DOUBLE)));

  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder()
          .setOptions(OPTIONS)
          .addFunctionBindings(
              CelFunctionBinding.from("credo_min_double", Double.class, Double.class, Math::min),
              CelFunctionBinding.from("credo_max_double", Double.class, Double.class, Math::max))
          .build();

  private static final CelCompiler CONDITIONS = conditionCompiler();

  private ExpressionCompiler() {}

  /** A compile error with its 0-based position inside the expression text. */
  static final class CompileError extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;
    final int column;

    CompileError(String message, int line, int column) {
      super(message);
      this.line = line;
      this.column = column;
    }
  }

  /** Compiles a boolean condition over score, grade, lists, factors and records. */
  static Expression condition(String source) throws CompileError {
    return compile(CONDITIONS, source, SimpleType.BOOL);
  }

  /**
   * Compiles a points expression over the attributes a rule declares.
   *
   * @param attributeTypes attribute name → type
   */
  static Expression points(String source, Map<String, AttributeType> attributeTypes)
      throws CompileError {
    Map<String, CelType> fields = new LinkedHashMap<>();
    attributeTypes.forEach((name, type) -> fields.put(name, type.celType()));
    StructType attributes =
        StructType.create(
            "credo.Attributes",
            ImmutableSet.copyOf(fields.keySet()),
            field -> Optional.ofNullable(fields.get(field)));
    CelTypeProvider types =
        new CelTypeProvider() {
          @Override
          public ImmutableCollection<CelType> types() {
            return ImmutableList.of(attributes);
          }

          @Override
          public Optional<CelType> findType(String name) {
            return name.equals(attributes.name()) ? Optional.of(attributes) : Optional.empty();
          }
        };
    CelCompiler compiler =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .setTypeProvider(types)
            .addVar("attributes", attributes)
            .addFunctionDeclarations(FUNCTIONS)
            .build();
    return compile(compiler, source, SimpleType.DOUBLE);
  }

  private static CelCompiler conditionCompiler() {
    var builder =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(OPTIONS)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addFunctionDeclarations(FUNCTIONS);
    CONDITION_VARIABLES.forEach(builder::addVar);
    return builder.build();
  }

  private static Expression compile(CelCompiler compiler, String source, CelType expected)
      throws CompileError {
    CelAbstractSyntaxTree ast;
    try {
      ast = compiler.compile(source).getAst();
    } catch (CelValidationException e) {
      CelIssue issue = e.getErrors().get(0);
      String message = issue.getMessage();
      if (message.startsWith("undeclared reference to '")) {
        message += " (known here: " + known(compiler, expected) + ")";
      }
      throw new CompileError(
          message, issue.getSourceLocation().getLine() - 1, issue.getSourceLocation().getColumn());
    }
    CelType result = ast.getResultType();
    boolean numeric = result.kind() == CelKind.DOUBLE || result.kind() == CelKind.INT;
    boolean ok = expected.kind() == CelKind.DOUBLE ? numeric : result.kind() == expected.kind();
    if (!ok) {
      throw new CompileError(
          "must give "
              + (expected.kind() == CelKind.DOUBLE ? "a number" : "true or false")
              + " but gives "
              + result.name(),
          0,
          0);
    }
    try {
      return new Expression(source, RUNTIME.createProgram(ast), reads(ast));
    } catch (CelEvaluationException e) {
      throw new CompileError(e.getMessage(), 0, 0);
    }
  }

  private static String known(CelCompiler compiler, CelType expected) {
    return compiler == CONDITIONS
        ? String.join(", ", new TreeSet<>(CONDITION_VARIABLES.keySet()))
        : "attributes";
  }

  /** Walks the checked tree to find which variables, and which names in them, are read. */
  private static Expression.Reads reads(CelAbstractSyntaxTree ast) {
    Set<String> variables = new HashSet<>();
    Map<String, Set<String>> names = new HashMap<>();
    Set<String> whole = new HashSet<>();
    CelNavigableAst.fromAst(ast)
        .getRoot()
        .allNodes()
        .filter(node -> node.getKind() == CelExpr.ExprKind.Kind.IDENT)
        .forEach(
            node -> {
              String name = node.expr().ident().name();
              variables.add(name);
              if (!NAMED_COLLECTIONS.contains(name)) {
                return;
              }
              Optional<String> literal = literalName(node);
              if (literal.isPresent()) {
                names.computeIfAbsent(name, k -> new TreeSet<>()).add(literal.get());
              } else {
                whole.add(name);
              }
            });
    return new Expression.Reads(variables, names, whole);
  }

  /** The literal name read from a collection variable, or empty when it is read otherwise. */
  private static Optional<String> literalName(CelNavigableExpr ident) {
    Optional<CelNavigableExpr> parent = ident.parent();
    if (parent.isEmpty()) {
      return Optional.empty();
    }
    CelExpr p = parent.get().expr();
    long id = ident.expr().id();
    switch (p.exprKind().getKind()) {
      case SELECT:
        return p.select().testOnly() ? Optional.empty() : Optional.of(p.select().field());
      case CALL:
        List<CelExpr> args = p.call().args();
        String function = p.call().function();
        if (function.equals("@in") && args.size() == 2 && args.get(1).id() == id) {
          return stringConstant(args.get(0));
        }
        if (function.equals("_[_]") && args.size() == 2 && args.get(0).id() == id) {
          return stringConstant(args.get(1));
        }
        return Optional.empty();
      default:
        return Optional.empty();
    }
  }

  private static Optional<String> stringConstant(CelExpr expr) {
    if (expr.exprKind().getKind() == CelExpr.ExprKind.Kind.CONSTANT
        && expr.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
      return Optional.of(expr.constant().stringValue());
    }
    return Optional.empty();
  }
}
