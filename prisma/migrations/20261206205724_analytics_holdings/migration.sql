-- CreateTable
CREATE TABLE "AccountHoldingSnapshot" (
    "accountId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "holding" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "quantity" BIGINT,
    "price" BIGINT,
    "value" BIGINT,
    "rateRub" BIGINT,
    "valueRub" BIGINT,

    CONSTRAINT "AccountHoldingSnapshot_pkey" PRIMARY KEY ("accountId","day","holding")
);
